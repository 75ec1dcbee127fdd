import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import dev.agenda.publishing.event.SiteEvent;
import dev.agenda.publishing.site.SiteBuilder;
import dev.agenda.publishing.site.SiteProperties;
import dev.agenda.publishing.site.SiteRenderer;

/**
 * Synthetic agenda events shaped like the numerique-agenda corpus, built by the publishing-service's renderer
 * in-process, and exported as Hugo and Jekyll sources so the three builds render the same content.
 *
 * <pre>
 *   java SiteBench full N OUT          full build of N events into OUT, prints full_ms
 *   java SiteBench incremental N OUT   full build (untimed), then one-event updates, prints incremental_ms (median)
 *   java SiteBench export N DIR        writes DIR/hugo and DIR/jekyll sources of the same N events
 * </pre>
 */
public final class SiteBench {

    private static final String[] CATEGORIES = {"Formation", "Webinaire d'information", "Meetup", "Forum",
            "Hackathon", "Journée d'échanges", "Évènement", "Conférence", "Atelier", "Salon"};
    private static final String[] TAGS = {"Design", "Accessibilité", "Data", "Open source", "BlueHats", "EIG",
            "Cloud", "Sécurité", "IA", "API", "Recrutement", "Innovation", "Usagers", "Agents", "Territoires",
            "Startups d'État", "Logiciels libres", "Numérique responsable", "Identité numérique", "FranceConnect",
            "Données publiques", "Cybersécurité", "Europe", "Formation", "Transformation"};
    private static final String[] VENUES = {"Evénement 100% en ligne", "Le lieu de la transformation publique",
            "Station F", "Ministère de l'Économie", "Webinaire"};

    /** The categories' slugs, computed once: generating the events is not what is timed. */
    private static final String[] CATEGORY_SLUGS = java.util.Arrays.stream(CATEGORIES)
            .map(c -> c.toLowerCase().replaceAll("[^a-z]+", "-").replaceAll("(^-|-$)", "")).toArray(String[]::new);

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        int n = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]).toAbsolutePath();
        long generating = System.nanoTime();
        List<SiteEvent> events = generate(n);
        if (!mode.equals("export")) {
            System.out.printf("generate_ms=%d%n", (System.nanoTime() - generating) / 1_000_000);
        }
        switch (mode) {
            case "full" -> {
                long start = System.nanoTime();
                builder(out).buildAll(events, Instant.parse("2023-01-01T00:00:00Z"));
                System.out.printf("full_ms=%d%n", (System.nanoTime() - start) / 1_000_000);
            }
            case "incremental" -> {
                SiteBuilder builder = builder(out);
                Instant now = Instant.parse("2023-01-01T00:00:00Z");
                builder.buildAll(events, now);
                builder.published(); // what the service does before swapping the directory in: updates are atomic
                long[] times = new long[9];
                for (int i = 0; i < times.length; i++) {
                    int index = (i * 7919) % n;
                    SiteEvent before = events.get(index);
                    SiteEvent after = retitle(before, before.title() + " (mis à jour " + i + ")");
                    events.set(index, after);
                    long written = builder.filesWritten();
                    long start = System.nanoTime();
                    builder.apply(before, after, events, now);
                    times[i] = (System.nanoTime() - start) / 1_000;
                    System.err.printf("update %d: %d µs, %d files%n", i, times[i], builder.filesWritten() - written);
                }
                Arrays.sort(times);
                System.out.printf("incremental_ms=%.1f%n", times[times.length / 2] / 1000.0);
            }
            case "warm" -> {
                // Rebuilds in one JVM, as a running service's POST /api/site/rebuild does: after the first ones, the
                // JIT has compiled the renderer; each build goes to a fresh directory.
                int rounds = Integer.parseInt(System.getProperty("rounds", "5"));
                for (int r = 1; r <= rounds; r++) {
                    Path dir = out.resolve("round-" + r);
                    long start = System.nanoTime();
                    builder(dir).buildAll(events, Instant.parse("2023-01-01T00:00:00Z"));
                    System.out.printf("warm_round=%d build_ms=%d%n", r, (System.nanoTime() - start) / 1_000_000);
                }
            }
            case "export" -> {
                exportHugo(events, out.resolve("hugo"));
                exportJekyll(events, out.resolve("jekyll"));
            }
            default -> throw new IllegalArgumentException(mode);
        }
    }

    /** A builder for a fresh directory, as the service makes for a rebuild (files written in place until its swap). */
    private static SiteBuilder builder(Path out) {
        SiteProperties properties = new SiteProperties(out, "https://agenda.example", "Agenda", null, 20, 100,
                List.of("www.youtube.com"), Duration.ofSeconds(60));
        SiteRenderer renderer = new SiteRenderer(properties);
        // As the service does at start-up (SitePublisher): the libraries load on both cores before the first page.
        renderer.warmUp();
        return SiteBuilder.unpublished(renderer, out);
    }

    static List<SiteEvent> generate(int n) {
        Random random = new Random(42);
        Instant base = Instant.parse("2018-01-01T09:00:00Z");
        List<SiteEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int categoryIndex = random.nextInt(CATEGORIES.length);
            String category = CATEGORIES[categoryIndex];
            List<String> tags = new ArrayList<>();
            for (int t = 0, count = 1 + random.nextInt(3); t < count; t++) {
                String tag = TAGS[random.nextInt(TAGS.length)];
                if (!tags.contains(tag)) {
                    tags.add(tag);
                }
            }
            Instant start = base.plus(Duration.ofHours((long) random.nextInt(10 * 365) * 24 + random.nextInt(9)));
            Instant end = random.nextInt(4) == 0 ? null : start.plus(Duration.ofMinutes(60 + 30L * random.nextInt(8)));
            String venue = VENUES[random.nextInt(VENUES.length)];
            boolean online = venue.contains("ligne") || venue.equals("Webinaire");
            String title = category + " n° " + i + " : " + tags.get(0) + " et services publics numériques";
            String slug = "evenement-" + i + "-" + CATEGORY_SLUGS[categoryIndex];
            String lead = "À l’occasion de cet événement, la direction interministérielle du numérique et "
                    + "[Etalab](https://www.etalab.gouv.fr/){:target=\"_blank\"} vous convient à un temps d’échange "
                    + "autour de " + tags.get(0) + ".";
            String body = """
                    Lors de cet après-midi vous pourrez échanger lors d'ateliers et de présentations consacrés au \
                    programme et aux différents projets portés. Vous rencontrerez les porteurs de projets.

                    Au programme :
                    * **[14h-14h30]** Présentation du programme et ouverture de l'atelier
                    * **[14h30-15h]** Intervention et échanges avec les équipes
                    * **[15h-18h]** Ateliers avec les porteurs de projets en groupe

                    > #### Inscrivez-vous dès maintenant pour une formation gratuite, ludique et opérationnelle !
                    >
                    > {: .margin-top-1 .text-center}
                    {: .encadre role="presentation" }

                    <div class="encadre noir">
                    <p>Le programme %d accompagne les administrations. <a class="button" href="https://example.org/%d">S'inscrire</a></p>
                    </div>

                    Plus d'informations sur [le site du programme](https://www.numerique.gouv.fr/){:target="_blank"}.
                    """.replace("%d", Integer.toString(i));
            events.add(new SiteEvent("id-" + i, 1, random.nextInt(30) == 0, slug, title, lead, null,
                    List.of(category), tags,
                    List.of(new SiteEvent.Image("/uploads/image-" + (i % 50) + ".jpg", "Légende " + i,
                            "Affiche de l'événement " + i)),
                    start, end, "Europe/Paris",
                    new SiteEvent.Location(venue, online ? null : "77 avenue de Ségur, 75015 Paris", online, false),
                    online ? List.of() : List.of(new SiteEvent.Access("Métro", List.of("6", "8", "10"))),
                    List.of(new SiteEvent.Info("Horaires", "14h-18h", null),
                            new SiteEvent.Info("Modalités", "Entrée gratuite dans la limite des places disponibles",
                                    null),
                            new SiteEvent.Info("Inscription", "S'inscrire", "https://www.eventbrite.fr/e/" + i)),
                    body, start.minus(Duration.ofDays(30)), start.minus(Duration.ofDays(30)), null));
        }
        return events;
    }

    private static SiteEvent retitle(SiteEvent e, String title) {
        return new SiteEvent(e.eventId(), e.revision() + 1, e.cancelled(), e.slug(), title, e.lead(),
                e.primaryCategory(), e.categories(), e.tags(), e.images(), e.startsAt(), e.endsAt(), e.timeZone(),
                e.location(), e.access(), e.infos(), e.body(), e.firstPublishedAt(), e.updatedAt().plusSeconds(60), null);
    }

    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private static String frontMatter(SiteEvent e, String dateKey) {
        ZoneId zone = e.zone();
        StringBuilder fm = new StringBuilder("---\n");
        fm.append("title: ").append(q(e.title())).append('\n');
        fm.append(dateKey).append(": ").append(ISO.format(e.startsAt().atZone(zone))).append('\n');
        fm.append("event_start_date: ").append(ISO.format(e.startsAt().atZone(zone))).append('\n');
        if (e.endsAt() != null) {
            fm.append("event_end_date: ").append(ISO.format(e.endsAt().atZone(zone))).append('\n');
        }
        fm.append("slug: ").append(e.slug()).append('\n');
        fm.append("chapeau: ").append(q(e.lead())).append('\n');
        fm.append("categories: [").append(q(e.categories().get(0))).append("]\n");
        fm.append("tags: [");
        for (int i = 0; i < e.tags().size(); i++) {
            fm.append(i == 0 ? "" : ", ").append(q(e.tags().get(i)));
        }
        fm.append("]\n");
        fm.append("lieu: ").append(q(e.location().name())).append('\n');
        if (e.location().address() != null) {
            fm.append("adresse: ").append(q(e.location().address())).append('\n');
        }
        fm.append("image: ").append(q(e.images().get(0).url())).append('\n');
        fm.append("image_alt: ").append(q(e.images().get(0).altText())).append('\n');
        fm.append("infos:\n");
        for (SiteEvent.Info info : e.infos()) {
            fm.append("  - intitule: ").append(q(info.label())).append('\n');
            fm.append("    contenu: ").append(q(info.content())).append('\n');
            if (info.link() != null) {
                fm.append("    lien: ").append(q(info.link())).append('\n');
            }
        }
        return fm.append("---\n\n").toString();
    }

    private static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void exportHugo(List<SiteEvent> events, Path dir) throws IOException {
        Path content = Files.createDirectories(dir.resolve("content/agenda"));
        Files.writeString(dir.resolve("config.toml"), """
                baseURL = "https://agenda.example/"
                languageCode = "fr"
                title = "Agenda"
                paginate = 20
                disableKinds = ["RSS"]
                [permalinks]
                  agenda = "/agenda/:slug/"
                [markup.goldmark.renderer]
                  unsafe = true
                [markup.goldmark.parser.attribute]
                  block = true
                """);
        write(dir.resolve("layouts/_default/baseof.html"), """
                <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{{ .Title }}</title>
                <link rel="stylesheet" href="/agenda.css"></head><body><main>{{ block "main" . }}{{ end }}</main></body></html>
                """);
        write(dir.resolve("layouts/agenda/single.html"), """
                {{ define "main" }}<article><h1>{{ .Title }}</h1>
                <p><time datetime="{{ .Params.event_start_date }}">{{ .Date.Format "Monday 2 January 2006, 15 h 04" }}</time></p>
                <figure><img src="{{ .Params.image }}" alt="{{ .Params.image_alt }}"></figure>
                <div class="lead">{{ .Params.chapeau | markdownify }}</div>
                <div class="body">{{ .Content }}</div>
                <dl><dt>Lieu</dt><dd>{{ .Params.lieu }}</dd>{{ with .Params.adresse }}<dt>Adresse</dt><dd>{{ . }}</dd>{{ end }}
                {{ range .Params.infos }}<dt>{{ .intitule }}</dt><dd>{{ with .lien }}<a href="{{ . }}">{{ end }}{{ .contenu }}{{ with .lien }}</a>{{ end }}</dd>{{ end }}</dl>
                <p>{{ range .Params.categories }}<a href="/categories/{{ . | urlize }}/">{{ . }}</a> {{ end }}
                {{ range .Params.tags }}<a href="/tags/{{ . | urlize }}/">{{ . }}</a> {{ end }}</p></article>{{ end }}
                """);
        String list = """
                {{ define "main" }}<h1>{{ .Title }}</h1><ul>
                {{ range (.Paginate .Pages.ByDate).Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
                <time>{{ .Date.Format "2 January 2006, 15 h 04" }}</time> {{ .Params.lieu }}</li>{{ end }}</ul>
                {{ template "_internal/pagination.html" . }}{{ end }}
                """;
        write(dir.resolve("layouts/agenda/list.html"), list);
        write(dir.resolve("layouts/_default/list.html"), list);
        write(dir.resolve("layouts/_default/single.html"), "{{ define \"main\" }}{{ .Content }}{{ end }}\n");
        write(dir.resolve("layouts/index.html"), "{{ define \"main\" }}<a href=\"/agenda/\">Agenda</a>{{ end }}\n");
        for (SiteEvent e : events) {
            Files.writeString(content.resolve(e.slug() + ".md"), frontMatter(e, "date") + e.body());
        }
    }

    private static void exportJekyll(List<SiteEvent> events, Path dir) throws IOException {
        Path posts = Files.createDirectories(dir.resolve("_posts"));
        Files.writeString(dir.resolve("_config.yml"), """
                title: Agenda
                url: https://agenda.example
                markdown: kramdown
                plugins: [jekyll-paginate]
                paginate: 20
                paginate_path: "/agenda/page:num/"
                permalink: /agenda/:title/
                defaults:
                  - scope: {path: "", type: posts}
                    values: {layout: event}
                """);
        write(dir.resolve("_layouts/default.html"), """
                <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{{ page.title }}</title>
                <link rel="stylesheet" href="/agenda.css"></head><body><main>{{ content }}</main></body></html>
                """);
        write(dir.resolve("_layouts/event.html"), """
                ---
                layout: default
                ---
                <article><h1>{{ page.title }}</h1>
                <p><time datetime="{{ page.event_start_date }}">{{ page.date | date: "%A %-d %B %Y, %H h %M" }}</time></p>
                <figure><img src="{{ page.image }}" alt="{{ page.image_alt }}"></figure>
                <div class="lead">{{ page.chapeau | markdownify }}</div>
                <div class="body">{{ content }}</div>
                <dl><dt>Lieu</dt><dd>{{ page.lieu }}</dd>{% if page.adresse %}<dt>Adresse</dt><dd>{{ page.adresse }}</dd>{% endif %}
                {% for info in page.infos %}<dt>{{ info.intitule }}</dt><dd>{% if info.lien %}<a href="{{ info.lien }}">{% endif %}{{ info.contenu }}{% if info.lien %}</a>{% endif %}</dd>{% endfor %}</dl>
                <p>{% for c in page.categories %}{{ c }} {% endfor %} {% for t in page.tags %}{{ t }} {% endfor %}</p></article>
                """);
        write(dir.resolve("index.html"), """
                ---
                layout: default
                title: Agenda
                ---
                <h1>Agenda</h1><ul>
                {% for post in paginator.posts %}<li><a href="{{ post.url }}">{{ post.title }}</a>
                <time>{{ post.date | date: "%-d %B %Y, %H h %M" }}</time> {{ post.lieu }}</li>{% endfor %}</ul>
                {% if paginator.previous_page %}<a href="{{ paginator.previous_page_path }}">Précédente</a>{% endif %}
                {% if paginator.next_page %}<a href="{{ paginator.next_page_path }}">Suivante</a>{% endif %}
                """);
        DateTimeFormatter day = DateTimeFormatter.ofPattern("uuuu-MM-dd");
        for (SiteEvent e : events) {
            String name = day.format(e.startsAt().atZone(e.zone())) + "-" + e.slug() + ".markdown";
            Files.writeString(posts.resolve(name), frontMatter(e, "date") + e.body());
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
