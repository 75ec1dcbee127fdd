package dev.agenda.events.jekyll;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import dev.agenda.events.domain.Access;
import dev.agenda.events.domain.Event;
import dev.agenda.events.domain.EventContent;
import dev.agenda.events.domain.EventRules;
import dev.agenda.events.domain.EventStatus;
import dev.agenda.events.domain.Image;
import dev.agenda.events.domain.InfoRow;
import dev.agenda.events.domain.Slugs;
import dev.agenda.events.domain.Violation;

/**
 * Reads and writes the Jekyll files of the numerique.gouv.fr agenda ({@code _evenements/*.markdown}): YAML front
 * matter with the corpus' French keys, then a kramdown body kept verbatim. Pure Java (SnakeYAML only), so other
 * modules can use it in tests. See the README for how each real-world oddity is decided.
 */
public final class JekyllFormat {

    /** The keys of a champs_informations row that are read. */
    private static final Set<String> INFO_KEYS = Set.of("intitule", "Intitulé", "contenu", "lien", "mailto");

    /** Keys this format reads; anything else is reported as ignored. */
    static final Set<String> KNOWN_KEYS = Set.of("title", "date", "published", "cancelled", "categories", "tags",
            "categorie", "chapeau-text", "une-ou-diaporama", "event_start_date", "event_end_date", "event_date",
            "dateEvent", "event_time_zone", "lieu", "adresse", "afficher_la_carte", "acces", "champs_informations");

    public static final int MAX_FILE_CHARS = 500_000;
    private static final Pattern DATE = Pattern.compile(
            "(-?\\d{1,4})-(\\d{1,2})-(\\d{1,2})(?:[ T](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?"
                    + "\\s*(Z|[+-]\\d{2}:?\\d{2})?");
    /*
     * Fractions of a second only when there are some (the API stamps publications to the millisecond): the corpus'
     * dates stay as they are and an exported event reads back to the same instant.
     */
    private static final DateTimeFormatter WRITE_DATE = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss").appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .appendPattern(" xxx").toFormatter(Locale.ROOT);
    private static final Pattern BARE_DOMAIN = Pattern.compile("(www\\.)?[a-zA-Z0-9-]+(\\.[a-zA-Z0-9-]+)+(/\\S*)?");

    private JekyllFormat() {
    }

    /** Outcome of reading one file. */
    public sealed interface Parsed permits Imported, Rejected {

        String fileName();

        default boolean imported() {
            return this instanceof Imported;
        }
    }

    /**
     * The file reads as an event. Its id is derived from the slug and its times from the file's {@code date}, so
     * parsing the same text twice gives equal values; a service assigns its own ids and times.
     *
     * @param statesCancellation whether the file says {@code cancelled} at all (true or false): a file without the key
     *                           (every corpus file) says nothing of a cancellation made since through the API
     */
    public record Imported(String fileName, Event event, List<String> warnings, boolean statesCancellation)
            implements Parsed {
        public Imported {
            warnings = List.copyOf(warnings);
        }
    }

    /** The file cannot become an event, and why. */
    public record Rejected(String fileName, String reason) implements Parsed {
    }

    public static Parsed parse(String fileName, String content) {
        Objects.requireNonNull(fileName, "fileName");
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".md") && !lower.endsWith(".markdown")) {
            return new Rejected(fileName, "not a Markdown file: the name must end with .md or .markdown");
        }
        String slug = Slugs.fromFileName(fileName);
        if (slug.isEmpty()) {
            return new Rejected(fileName, "the file name gives an empty slug (it has no letter or digit)");
        }
        if (content == null || content.isBlank()) {
            return new Rejected(fileName, "the file is empty");
        }
        if (content.length() > MAX_FILE_CHARS) {
            return new Rejected(fileName, "the file is larger than " + MAX_FILE_CHARS + " characters");
        }
        String text = content.replace("\r\n", "\n").replace('\r', '\n');
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (!text.startsWith("---\n")) {
            return new Rejected(fileName, "no YAML front matter: the file must start with a '---' line");
        }
        int close = findClosing(text);
        if (close < 0) {
            return new Rejected(fileName, "the YAML front matter is not closed by a '---' line");
        }
        String yamlText = text.substring(4, close);
        int bodyStart = text.indexOf('\n', close);
        String rawBody = bodyStart < 0 ? "" : text.substring(bodyStart + 1);

        Object loaded;
        try {
            loaded = yaml().load(yamlText);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 2;
            return new Rejected(fileName, "the front matter is not valid YAML (line " + line + "): " + e.getProblem());
        } catch (YAMLException e) {
            return new Rejected(fileName, "the front matter is not valid YAML: " + e.getMessage());
        } catch (RuntimeException e) {
            // A tag on a value of another kind (« !!str [a] », « !!timestamp {a: 1} »): SnakeYAML's constructors fail
            // outside its own exceptions, and one such file must not fail the whole import.
            return new Rejected(fileName, "the front matter is not valid YAML: a tagged value is not of its tag's "
                    + "kind (" + e.getClass().getSimpleName() + ")");
        }
        if (loaded == null) {
            return new Rejected(fileName, "the front matter is empty: a title is required");
        }
        if (!(loaded instanceof Map<?, ?> map)) {
            return new Rejected(fileName, "the front matter is not a set of 'key: value' lines");
        }
        return new Reader(fileName, slug, map).read(rawBody);
    }

    /** Start index of the line closing the front matter ("---", trailing spaces allowed), or -1. */
    private static int findClosing(String text) {
        int lineStart = 4;
        while (lineStart <= text.length()) {
            int nl = text.indexOf('\n', lineStart);
            String line = text.substring(lineStart, nl < 0 ? text.length() : nl);
            if (line.stripTrailing().equals("---")) {
                return lineStart;
            }
            if (nl < 0) {
                return -1;
            }
            lineStart = nl + 1;
        }
        return -1;
    }

    /** A Jekyll file for the event, with the corpus' own keys (and {@code cancelled}/{@code event_time_zone}). */
    public static String write(Event event) {
        EventContent c = event.content();
        ZoneId zone = zone(c.timeZone());
        Map<String, Object> fm = new LinkedHashMap<>();
        fm.put("title", c.title());
        // A draft never published has no publication date: writing its creation time would give it one on import.
        Instant date = c.publicationDate() != null ? c.publicationDate() : event.firstPublishedAt();
        if (date != null) {
            fm.put("date", new PlainTime(format(date, zone)));
        }
        if (event.status() == EventStatus.DRAFT) {
            fm.put("published", false);
        }
        if (event.status() == EventStatus.CANCELLED) {
            fm.put("cancelled", true);
        }
        putList(fm, "categories", c.categories());
        putList(fm, "tags", c.tags());
        putText(fm, "categorie", c.primaryCategory());
        putText(fm, "chapeau-text", c.lead());
        if (!c.images().isEmpty()) {
            List<Map<String, Object>> images = new ArrayList<>();
            for (Image img : c.images()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("image", img.url());
                putText(m, "legende", img.caption());
                putText(m, "alternative-textuelle", img.altText());
                images.add(m);
            }
            fm.put("une-ou-diaporama", images);
        }
        if (c.startsAt() != null) {
            fm.put("event_start_date", new PlainTime(format(c.startsAt(), zone)));
        }
        if (c.endsAt() != null) {
            fm.put("event_end_date", new PlainTime(format(c.endsAt(), zone)));
        }
        if (!EventContent.DEFAULT_TIME_ZONE.equals(c.timeZone())) {
            fm.put("event_time_zone", c.timeZone());
        }
        putText(fm, "lieu", c.venue());
        putText(fm, "adresse", c.address());
        if (c.showMap()) {
            fm.put("afficher_la_carte", true);
        }
        if (!c.access().isEmpty()) {
            List<Map<String, Object>> access = new ArrayList<>();
            for (Access a : c.access()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", a.type());
                if (!a.lines().isEmpty()) {
                    m.put("lignes", a.lines().stream().map(l -> Map.of("nom", l)).toList());
                }
                access.add(m);
            }
            fm.put("acces", access);
        }
        if (!c.infos().isEmpty()) {
            List<Map<String, Object>> infos = new ArrayList<>();
            for (InfoRow r : c.infos()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("intitule", r.label());
                putText(m, "contenu", r.content());
                putText(m, "lien", r.link());
                infos.add(m);
            }
            fm.put("champs_informations", infos);
        }
        StringBuilder out = new StringBuilder("---\n").append(yaml().dump(fm)).append("---\n");
        if (c.body() != null && !c.body().isEmpty()) {
            out.append('\n').append(c.body()).append('\n');
        }
        return out.toString();
    }

    /** The file name an event is exported under, which is also what the slug is read back from. */
    public static String fileName(Event event) {
        return event.slug() + ".markdown";
    }

    /** A stable id for an event read from a file, so that the same file always gives the same value. */
    static String idFor(String slug) {
        return UUID.nameUUIDFromBytes(("jekyll:" + slug).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String format(Instant t, ZoneId zone) {
        return WRITE_DATE.format(t.atZone(zone));
    }

    static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            return ZoneId.of(EventContent.DEFAULT_TIME_ZONE);
        }
    }

    private static void putText(Map<String, Object> m, String key, String value) {
        if (value != null && !value.isEmpty()) {
            m.put(key, value);
        }
    }

    private static void putList(Map<String, Object> m, String key, List<String> values) {
        if (!values.isEmpty()) {
            m.put(key, new ArrayList<>(values));
        }
    }

    /**
     * SnakeYAML without the timestamp resolver: dates stay the text the editor wrote (SnakeYAML would turn
     * them into {@code java.util.Date} and lose the offset), and are written back unquoted so Jekyll reads them as
     * times again.
     */
    private static Yaml yaml() {
        LoaderOptions load = new LoaderOptions();
        load.setAllowDuplicateKeys(true);
        load.setMaxAliasesForCollections(20);
        load.setCodePointLimit(MAX_FILE_CHARS * 2);
        DumperOptions dump = new DumperOptions();
        dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        dump.setIndent(2);
        dump.setIndicatorIndent(0);
        dump.setAllowUnicode(true);
        dump.setWidth(100);
        dump.setLineBreak(DumperOptions.LineBreak.UNIX);
        Resolver resolver = new Resolver() {
            @Override
            protected void addImplicitResolvers() {
                addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
                addImplicitResolver(Tag.INT, INT, "-+0123456789");
                addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
                addImplicitResolver(Tag.MERGE, MERGE, "<");
                addImplicitResolver(Tag.NULL, NULL, "~nN\0");
                addImplicitResolver(Tag.NULL, EMPTY, null);
            }
        };
        return new Yaml(new TextConstructor(load), new TextRepresenter(dump), dump, load, resolver);
    }

    /** The word the CMS wrote (quoted, {@code 'null'}) for an empty field; any case, as the reader compares. */
    private static final Pattern NULL_WORD = Pattern.compile("(?i)\\s*null\\s*");

    /** A time the writer leaves unquoted, so that Jekyll reads it as a time (any other text that looks like one is quoted). */
    private record PlainTime(String text) {
    }

    /**
     * A text {@code "null"} written in double quotes: a real title, venue or category "null", which the reader keeps,
     * while the {@code 'null'} of the corpus (single quotes, the CMS's empty field) still means no value.
     */
    private record LiteralNull(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * Texts come back as the same strings. SnakeYAML already quotes what our resolver would read as another type
     * ({@code 'true'}, {@code '~'}, {@code 'yes'}, {@code '1.0'}); two cases need more. A text "null" is written in
     * double quotes, the one form the reader takes as a string rather than as the CMS's 'null' (which used to turn
     * a title "null" into no title: the file came back REJECTED). A text that reads as a YAML timestamp
     * ({@code 2024-01-01}) is quoted too: our reader has no timestamp resolver, but Jekyll has and would make it a
     * date; only the dates we write ({@link PlainTime}) stay unquoted.
     */
    private static final class TextRepresenter extends Representer {

        TextRepresenter(DumperOptions options) {
            super(options);
            Represent strings = representers.get(String.class);
            representers.put(String.class, data -> {
                String text = (String) data;
                if (NULL_WORD.matcher(text).matches() || Resolver.TIMESTAMP.matcher(text).matches()) {
                    return representScalar(Tag.STR, text, DumperOptions.ScalarStyle.DOUBLE_QUOTED);
                }
                return strings.representData(data);
            });
            representers.put(PlainTime.class, data -> representScalar(Tag.STR, ((PlainTime) data).text()));
        }
    }

    /**
     * Reads a double-quoted "null" as {@link LiteralNull}, so that it can be told from the corpus' 'null'. Scalars
     * tagged explicitly are texts too, as Jekyll reads them: a {@code !!timestamp} its text (our reader parses dates
     * with their offsets; SnakeYAML's {@code Date} loses them), a {@code !!binary} its bytes decoded as UTF-8 (it
     * was stored as a Java array's name, a different one at each import).
     */
    private static final class TextConstructor extends SafeConstructor {

        private static Node scalar(Node node, String tag) {
            if (!(node instanceof ScalarNode)) {
                throw new YAMLException("a " + tag + " value must be a single value, not a list or a mapping");
            }
            return node;
        }

        TextConstructor(LoaderOptions options) {
            super(options);
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr() {
                @Override
                public Object construct(Node node) {
                    return super.construct(scalar(node, "!!timestamp"));
                }
            });
            yamlConstructors.put(Tag.BINARY, new ConstructYamlBinary() {
                @Override
                public Object construct(Node node) {
                    byte[] bytes;
                    try {
                        bytes = (byte[]) super.construct(scalar(node, "!!binary"));
                    } catch (IllegalArgumentException notBase64) {
                        throw new YAMLException("a !!binary value is not base64");
                    }
                    try {
                        return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                                .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
                    } catch (java.nio.charset.CharacterCodingException notText) {
                        throw new YAMLException("a !!binary value is not UTF-8 text");
                    }
                }
            });
            yamlConstructors.put(Tag.STR, new ConstructYamlStr() {
                @Override
                public Object construct(Node node) {
                    Object value = super.construct(node);
                    if (node instanceof ScalarNode scalar
                            && scalar.getScalarStyle() == DumperOptions.ScalarStyle.DOUBLE_QUOTED
                            && value instanceof String text && NULL_WORD.matcher(text).matches()) {
                        return new LiteralNull(text);
                    }
                    return value;
                }
            });
        }
    }

    /** Reads one front matter, collecting warnings for every decision an editor might want to know about. */
    private static final class Reader {

        private final String fileName;
        private final String slug;
        private final Map<?, ?> fm;
        private final List<String> warnings = new ArrayList<>();

        Reader(String fileName, String slug, Map<?, ?> fm) {
            this.fileName = fileName;
            this.slug = slug;
            this.fm = fm;
        }

        Parsed read(String rawBody) {
            String title = text(fm.get("title"));
            if (title == null) {
                return new Rejected(fileName, "the front matter has no title");
            }
            String baseName = fileName.replace('\\', '/');
            baseName = baseName.substring(baseName.lastIndexOf('/') + 1);
            baseName = baseName.substring(0, baseName.lastIndexOf('.'));
            if (!baseName.equals(slug)) {
                warnings.add("the file name is not a valid slug: the event is published as /agenda/" + slug + "/");
            }
            Set<String> ignored = new TreeSet<>();
            for (Object key : fm.keySet()) {
                if (!KNOWN_KEYS.contains(String.valueOf(key))) {
                    ignored.add(String.valueOf(key));
                }
            }
            if (!ignored.isEmpty()) {
                warnings.add("ignored key(s) that are not event fields: " + String.join(", ", ignored));
            }

            String timeZone = EventContent.DEFAULT_TIME_ZONE;
            String tz = text(fm.get("event_time_zone"));
            if (tz != null) {
                if (EventRules.isIanaZone(tz)) {
                    timeZone = tz;
                } else {
                    warnings.add("event_time_zone '" + tz + "' is not an IANA time zone: Europe/Paris is used");
                }
            }
            ZoneId zone = ZoneId.of(timeZone);
            Instant publicationDate = date("date", zone);

            Instant start = date("event_start_date", zone);
            for (String legacy : List.of("event_date", "dateEvent")) {
                if (fm.containsKey(legacy)) {
                    Instant old = date(legacy, zone);
                    if (start == null && old != null && !fm.containsKey("event_start_date")) {
                        start = old;
                        warnings.add("legacy key '" + legacy + "' read as the start date (event_start_date)");
                    } else {
                        warnings.add("legacy key '" + legacy + "' ignored: event_start_date is set");
                    }
                }
            }
            Instant end = date("event_end_date", zone);
            if (end != null && start == null) {
                warnings.add("event_end_date ignored: there is no start date");
                end = null;
            }
            if (end != null && end.isBefore(start)) {
                warnings.add("event_end_date " + text(fm.get("event_end_date"))
                        + " is before the start date: ignored (the event has only a start)");
                end = null;
            }

            EventStatus status = EventStatus.PUBLISHED;
            Object published = fm.get("published");
            if (published != null && "false".equalsIgnoreCase(String.valueOf(published).trim())) {
                status = EventStatus.DRAFT;
            } else if (bool(fm.get("cancelled"))) {
                status = EventStatus.CANCELLED;
            }
            if (status != EventStatus.DRAFT && start == null) {
                warnings.add("no usable event date: imported as a draft (a start date is required to publish)");
                status = EventStatus.DRAFT;
            }

            EventContent content = new EventContent(title, publicationDate, text(fm.get("chapeau-text")),
                    text(fm.get("categorie")), strings("categories"), strings("tags"), images(), start, end,
                    timeZone, text(fm.get("lieu")), text(fm.get("adresse")), bool(fm.get("afficher_la_carte")),
                    access(), infos(), EventContent.body(rawBody));
            List<Violation> violations = EventRules.check(content, status);
            if (!violations.isEmpty()) {
                StringBuilder reason = new StringBuilder("the event breaks the rules: ");
                for (int i = 0; i < violations.size(); i++) {
                    Violation v = violations.get(i);
                    reason.append(i == 0 ? "" : "; ").append(v.field()).append(' ').append(v.message());
                }
                return new Rejected(fileName, reason.toString());
            }
            Instant created = publicationDate != null ? publicationDate : Instant.EPOCH;
            Event event = new Event(idFor(slug), slug, status, 1, content, created, created,
                    status.isPublic() ? created : null);
            return new Imported(fileName, event, warnings, fm.containsKey("cancelled"));
        }

        private Instant date(String key, ZoneId zone) {
            Object raw = fm.get(key);
            String s = text(raw);
            if (s == null) {
                return null;
            }
            Matcher m = DATE.matcher(s);
            if (!m.matches()) {
                warnings.add(key + " '" + s + "' is not a date: ignored");
                return null;
            }
            try {
                LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)), m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
                        m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
                        m.group(6) == null ? 0 : Integer.parseInt(m.group(6)),
                        m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "00000000").substring(0, 9)));
                Instant t = m.group(8) == null ? local.atZone(zone).toInstant()
                        : local.toInstant(ZoneOffset.of(m.group(8).equals("Z") ? "Z"
                                : m.group(8).contains(":") ? m.group(8)
                                        : m.group(8).substring(0, 3) + ":" + m.group(8).substring(3)));
                if (!EventRules.isPlausible(t)) {
                    warnings.add(key + " '" + s + "' is not a plausible date (year " + local.getYear()
                            + "): ignored");
                    return null;
                }
                // Stored to the millisecond: finer digits made every import of the file a new revision.
                return t.truncatedTo(ChronoUnit.MILLIS);
            } catch (DateTimeException | NumberFormatException e) {
                warnings.add(key + " '" + s + "' is not a valid date: ignored");
                return null;
            }
        }

        /**
         * A list of labels. Written as one text ({@code categories: Meetup Atelier}), Jekyll reads one label per word
         * (its documented space-separated form): so do we, with a warning.
         */
        private List<String> strings(String key) {
            Object raw = fm.get(key);
            List<?> items = raw instanceof List<?> l ? l : raw == null ? List.of() : List.of(raw);
            String one = raw instanceof List<?> ? null : text(raw);
            if (one != null && one.split("\\s+").length > 1) {
                items = List.of(one.split("\\s+"));
                warnings.add(key + " '" + one + "' is one text: read as Jekyll does, one per word " + items);
            }
            Set<String> out = new LinkedHashSet<>();
            for (Object item : items) {
                String s = text(item);
                if (s != null) {
                    out.add(s);
                }
            }
            return List.copyOf(out);
        }

        private List<Image> images() {
            List<Image> out = new ArrayList<>();
            int i = 0;
            for (Object item : list("une-ou-diaporama")) {
                i++;
                Map<?, ?> m = item instanceof Map<?, ?> map ? map : Map.of("image", String.valueOf(item));
                String url = text(m.get("image"));
                if (url == null) {
                    warnings.add("une-ou-diaporama #" + i + " has no image: ignored");
                    continue;
                }
                String fixed = url.replace(" ", "%20");
                if (!EventRules.isWellFormedUrl(fixed, false)) {
                    warnings.add("une-ou-diaporama #" + i + ": '" + url + "' is not a URL: ignored");
                    continue;
                }
                if (!fixed.equals(url)) {
                    warnings.add("une-ou-diaporama #" + i + ": spaces in the image path encoded as %20");
                }
                out.add(new Image(fixed, text(m.get("legende")), text(m.get("alternative-textuelle"))));
            }
            return out;
        }

        private List<Access> access() {
            List<Access> out = new ArrayList<>();
            int i = 0;
            for (Object item : list("acces")) {
                i++;
                if (!(item instanceof Map<?, ?> m)) {
                    warnings.add("acces #" + i + " is not a {type, lignes} entry: ignored");
                    continue;
                }
                String type = text(m.get("type"));
                List<String> lines = new ArrayList<>();
                Object raw = m.get("lignes");
                for (Object line : raw instanceof List<?> l ? l : raw == null ? List.of() : List.of(raw)) {
                    String name = text(line instanceof Map<?, ?> lm ? lm.get("nom") : line);
                    if (name != null) {
                        lines.add(name);
                    }
                }
                if (type == null) {
                    if (!lines.isEmpty()) {
                        warnings.add("acces #" + i + " has lines but no type: ignored");
                    }
                    continue;
                }
                out.add(new Access(type, lines));
            }
            return out;
        }

        private List<InfoRow> infos() {
            List<InfoRow> out = new ArrayList<>();
            int i = 0;
            for (Object item : list("champs_informations")) {
                i++;
                if (!(item instanceof Map<?, ?> m)) {
                    warnings.add("champs_informations #" + i + " is not an {intitule, contenu} entry: ignored");
                    continue;
                }
                String label = text(m.get("intitule"));
                if (label == null && m.containsKey("Intitulé")) {
                    // As typed in one corpus file: the site's layout read only "intitule".
                    label = text(m.get("Intitulé"));
                    warnings.add("champs_informations #" + i + ": 'Intitulé' read as 'intitule'");
                }
                String content = text(m.get("contenu"));
                String rawLink = text(m.get("lien"));
                if (rawLink == null && text(m.get("mailto")) != null) {
                    rawLink = "mailto:" + text(m.get("mailto")).strip();
                    warnings.add("champs_informations #" + i + ": 'mailto' read as its lien");
                }
                String link = link(rawLink, i);
                for (Object key : m.keySet()) {
                    if (!INFO_KEYS.contains(String.valueOf(key))) {
                        // Nothing of it would reach the page or the export: say what is left out.
                        warnings.add("champs_informations #" + i + ": unknown key '" + key + "' ignored (its value: '"
                                + text(m.get(key)) + "')");
                    }
                }
                if (label == null && content == null) {
                    if (link != null) {
                        warnings.add("champs_informations #" + i + " has only a link: ignored");
                    } else if (!m.isEmpty()) {
                        warnings.add("champs_informations #" + i + " is empty: ignored");
                    }
                    continue;
                }
                if (label == null) {
                    warnings.add("champs_informations #" + i + " has no intitule: labelled 'Informations'");
                    label = "Informations";
                }
                out.add(new InfoRow(label, content, link));
            }
            return out;
        }

        private String link(String raw, int row) {
            if (raw == null) {
                return null;
            }
            if (EventRules.isWellFormedUrl(raw, true)) {
                return raw;
            }
            String unwrapped = raw.replaceAll("^[(<\\[\"']+|[)>\\]\"']+$", "");
            if (!unwrapped.equals(raw) && EventRules.isWellFormedUrl(unwrapped, true)) {
                warnings.add("champs_informations #" + row + ": brackets around '" + unwrapped + "' removed");
                return unwrapped;
            }
            String candidate = raw.startsWith("mailto:") ? raw.substring(7) : raw;
            if (EventRules.isEmail(candidate)) {
                warnings.add("champs_informations #" + row + ": e-mail address '" + raw + "' linked as mailto:");
                return "mailto:" + candidate;
            }
            if (BARE_DOMAIN.matcher(raw).matches() && EventRules.isWellFormedUrl("https://" + raw, true)) {
                warnings.add("champs_informations #" + row + ": '" + raw + "' linked as https://" + raw);
                return "https://" + raw;
            }
            warnings.add("champs_informations #" + row + ": lien '" + raw + "' is not a URL nor an e-mail: dropped");
            return null;
        }

        private List<?> list(String key) {
            Object raw = fm.get(key);
            return raw instanceof List<?> l ? l : raw == null ? List.of() : List.of(raw);
        }

        private static boolean bool(Object raw) {
            return raw != null && "true".equalsIgnoreCase(String.valueOf(raw).trim());
        }

        /**
         * Trimmed text; absent, blank and the literal 'null' the CMS wrote for empty fields all mean "no value" — but
         * not a double-quoted "null", which is how the writer keeps a text that really is "null".
         */
        private static String text(Object raw) {
            if (raw == null || raw instanceof Map<?, ?> || raw instanceof java.util.Collection<?>) {
                return null;
            }
            if (raw instanceof LiteralNull literal) {
                return literal.text().strip();
            }
            String s = String.valueOf(raw).strip();
            return s.isEmpty() || s.equalsIgnoreCase("null") ? null : s;
        }
    }
}
