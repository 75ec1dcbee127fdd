package dev.agenda.publishing.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import dev.agenda.publishing.SiteChecks;
import dev.agenda.publishing.event.SiteEvent;

class SiteRendererTest {

    static SiteProperties properties(Path templates) {
        return new SiteProperties(Path.of("target/unused"), "https://agenda.example", "Agenda test", templates, 20,
                100, List.of("www.youtube.com", "peertube.designersethiques.org"), Duration.ofSeconds(60));
    }

    static SiteEvent event(String id, String slug, String title, Instant start, Instant end) {
        return new SiteEvent(id, 1, false, slug, title, "Un [chapeau](https://example.org){:target=\"_blank\"}.",
                "Webinaire", List.of("Formation"), List.of("Design", "Accessibilité"),
                List.of(new SiteEvent.Image("/uploads/photo.jpg", "Légende de la photo", "Texte alternatif")),
                start, end, "Europe/Paris", new SiteEvent.Location("Le lieu", "77 avenue de Ségur, 75015 Paris", false,
                        false),
                List.of(new SiteEvent.Access("Métro", List.of("6", "8"))),
                List.of(new SiteEvent.Info("Horaires", "14h-18h", null),
                        new SiteEvent.Info("Inscription", "S'inscrire", "https://www.eventbrite.fr/e/1")),
                """
                        ## Programme

                        > #### Titre encadré
                        >
                        > {: .margin-top-1 .text-center}
                        {: .encadre role="presentation" }

                        <div class="encadre noir">Du <strong>HTML</strong> brut</div>

                        <iframe title="Vidéo" src="https://peertube.designersethiques.org/videos/embed/55d9" allowfullscreen></iframe>
                        <iframe src="https://evil.example/x"></iframe>
                        """,
                Instant.parse("2022-01-01T10:00:00Z"), Instant.parse("2022-01-02T10:00:00Z"), null);
    }

    private final SiteRenderer renderer = new SiteRenderer(properties(null));

    @Test
    void eventPageShowsEverythingInFrenchAndValidates() {
        SiteEvent event = event("e1", "atelier-design", "Atelier design", Instant.parse("2022-03-17T12:45:00Z"),
                Instant.parse("2022-03-17T13:45:00Z"));
        String html = renderer.eventPage(event);
        Document page = SiteChecks.validHtml(html, "event page");

        assertThat(page.select("h1").text()).isEqualTo("Atelier design");
        assertThat(page.select(".event-date").text()).isEqualTo("jeudi 17 mars 2022, 13 h 45 – 14 h 45");
        assertThat(page.select("figure img").attr("alt")).isEqualTo("Texte alternatif");
        assertThat(page.select("figcaption").text()).isEqualTo("Légende de la photo");
        assertThat(page.select(".lead a").attr("href")).isEqualTo("https://example.org");
        assertThat(page.select(".lead a").attr("rel")).isEqualTo("noopener noreferrer");
        assertThat(page.select("blockquote.encadre[role=presentation]")).hasSize(1);
        assertThat(page.select("blockquote h3.margin-top-1.text-center").text()).isEqualTo("Titre encadré");
        assertThat(page.select(".event-body h2").text()).isEqualTo("Programme");
        assertThat(page.select("div.encadre.noir strong").text()).isEqualTo("HTML");
        assertThat(page.select("iframe")).hasSize(1);
        assertThat(page.select("iframe").attr("src")).startsWith("https://peertube.designersethiques.org/");
        assertThat(page.select(".practical").text()).contains("Le lieu", "77 avenue de Ségur", "Métro", "6, 8",
                "Horaires", "14h-18h", "Inscription");
        assertThat(page.select(".practical a[href=https://www.eventbrite.fr/e/1]").text()).isEqualTo("S'inscrire");
        assertThat(page.select("a.tag--type").eachAttr("href")).containsExactly("/agenda/type/webinaire/",
                "/agenda/type/formation/");
        assertThat(page.select("a.tag:not(.tag--type)").eachAttr("href")).containsExactly("/agenda/theme/design/",
                "/agenda/theme/accessibilite/");
        assertThat(page.select("meta[property=og:title]").attr("content")).isEqualTo("Atelier design");
        assertThat(page.select("meta[property=og:image]").attr("content"))
                .isEqualTo("https://agenda.example/uploads/photo.jpg");
        assertThat(page.select("a[href=/agenda/atelier-design/atelier-design.ics]")).hasSize(1);
        assertThat(page.select(".banner--cancelled")).isEmpty();
        String ld = page.select("script[type=application/ld+json]").html();
        assertThat(ld).contains("\"@type\":\"Event\"", "https://schema.org/EventScheduled",
                "https://schema.org/OfflineEventAttendanceMode", "\"@type\":\"Place\"",
                "\"startDate\":\"2022-03-17T13:45:00+01:00\"");
        // Heading order: h1, then h2s, never a skipped level.
        List<Integer> levels = page.select("h1, h2, h3, h4, h5, h6").stream()
                .map(h -> h.tagName().charAt(1) - '0').toList();
        for (int i = 1; i < levels.size(); i++) {
            assertThat(levels.get(i)).isLessThanOrEqualTo(levels.get(i - 1) + 1);
        }
    }

    @Test
    void anEventWithoutAnImageIsSharedWithTheSitesDefaultImageButDoesNotShowIt() {
        SiteProperties plain = properties(null);
        SiteRenderer withDefault = new SiteRenderer(new SiteProperties(plain.outputDir(), plain.baseUrl(),
                plain.title(), null, 20, 100, plain.iframeHosts(), plain.listingRefresh(), null,
                new SiteProperties.DefaultImage("/assets/partage.png", "Logo de l'agenda")));
        SiteEvent withImage = event("e1", "atelier-design", "Atelier design", Instant.parse("2022-03-17T12:45:00Z"),
                null);
        SiteEvent without = new SiteEvent("e3", 1, false, "sans-image", "Sans image", withImage.lead(),
                withImage.primaryCategory(), withImage.categories(), withImage.tags(), List.of(),
                withImage.startsAt(), null, withImage.timeZone(), withImage.location(), withImage.access(),
                withImage.infos(), withImage.body(), withImage.firstPublishedAt(), withImage.updatedAt(), withImage.publicationDate());

        Document page = SiteChecks.validHtml(withDefault.eventPage(without), "page without image");
        assertThat(page.select("meta[property=og:image]").attr("content"))
                .isEqualTo("https://agenda.example/assets/partage.png");
        assertThat(page.select("meta[property=og:image:alt]").attr("content")).isEqualTo("Logo de l'agenda");
        assertThat(page.select("script[type=application/ld+json]").html())
                .contains("\"image\":[\"https://agenda.example/assets/partage.png\"]");
        assertThat(page.select("article img, figure")).isEmpty();

        Document own = SiteChecks.validHtml(withDefault.eventPage(withImage), "page with its image");
        assertThat(own.select("meta[property=og:image]").attr("content"))
                .isEqualTo("https://agenda.example/uploads/photo.jpg");
        assertThat(own.select("meta[property=og:image:alt]").attr("content")).isEqualTo("Texte alternatif");
        assertThat(own.select("script[type=application/ld+json]").html()).doesNotContain("partage.png");

        Document bare = SiteChecks.validHtml(renderer.eventPage(without), "no default configured");
        assertThat(bare.select("meta[property^=og:image]")).isEmpty();
        assertThat(bare.select("script[type=application/ld+json]").html()).doesNotContain("\"image\"");
    }

    @Test
    void anImportedSitesImagesAreTakenFromTheMediaBaseUrlWhenOneIsSet() {
        SiteProperties plain = properties(null);
        SiteRenderer withMedia = new SiteRenderer(new SiteProperties(plain.outputDir(), plain.baseUrl(),
                plain.title(), null, 20, 100, plain.iframeHosts(), plain.listingRefresh(), null, null,
                "https://www.numerique.gouv.fr/"));
        SiteEvent base = event("e1", "atelier-design", "Atelier design", Instant.parse("2022-03-17T12:45:00Z"), null);
        SiteEvent withBodyImages = new SiteEvent("e1", 1, false, base.slug(), base.title(), base.lead(),
                base.primaryCategory(), base.categories(), base.tags(), base.images(), base.startsAt(), null,
                base.timeZone(), base.location(), base.access(), base.infos(),
                "<img src=\"/uploads/programme.png\" alt=\"Programme\">\n\n![Logo](/assets/logo.png)\n\n"
                        + "![Ailleurs](https://images.example/x.png)",
                base.firstPublishedAt(), base.updatedAt(), base.publicationDate());

        Document page = SiteChecks.validHtml(withMedia.eventPage(withBodyImages), "page with media base");
        assertThat(page.select("figure.event-image img").attr("src"))
                .isEqualTo("https://www.numerique.gouv.fr/uploads/photo.jpg");
        assertThat(page.select("meta[property=og:image]").attr("content"))
                .isEqualTo("https://www.numerique.gouv.fr/uploads/photo.jpg");
        assertThat(page.select("script[type=application/ld+json]").html())
                .contains("\"image\":[\"https://www.numerique.gouv.fr/uploads/photo.jpg\"]");
        assertThat(page.select("img[alt=Programme]").attr("src"))
                .isEqualTo("https://www.numerique.gouv.fr/uploads/programme.png");
        // The site's own files and absolute addresses stay as they are.
        assertThat(page.select("img[alt=Logo]").attr("src")).isEqualTo("/assets/logo.png");
        assertThat(page.select("img[alt=Ailleurs]").attr("src")).isEqualTo("https://images.example/x.png");

        // Unset: as before.
        assertThat(SiteChecks.validHtml(renderer.eventPage(withBodyImages), "no media base")
                .select("img[alt=Programme]").attr("src")).isEqualTo("/uploads/programme.png");
    }

    @Test
    void aDefaultImageThatIsNotAWebAddressIsRefusedAtStartUp() {
        SiteProperties plain = properties(null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SiteRenderer(new SiteProperties(
                plain.outputDir(), plain.baseUrl(), plain.title(), null, 20, 100, plain.iframeHosts(),
                plain.listingRefresh(), null, new SiteProperties.DefaultImage("javascript:alert(1)", null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agenda.site.default-image.url");
    }

    @Test
    void anUndatedEventOffersNoCalendarAndNoEmptyTime() {
        // 15 corpus events have no date: they have no .ics, so nothing may link to one (an empty href is the page).
        SiteEvent event = event("e4", "sans-date", "Sans date", null, null);
        assertThat(renderer.eventIcs(event)).isNull();
        Document page = SiteChecks.validHtml(renderer.eventPage(event), "undated event page");
        assertThat(page.select(".event-date").text()).isEqualTo("Date à venir");
        assertThat(page.select("a[download], link[type=text/calendar]")).isEmpty();
        assertThat(page.select("[href]").eachAttr("href")).doesNotContain("");
        assertThat(page.select("time")).isEmpty();
        Document listing = SiteChecks.validHtml(renderer.listingPage(Listing.ALL, 1,
                List.of(new Listing.Entry(event, false)), false), "listing");
        assertThat(listing.select(".event-date").text()).isEqualTo("Date à venir");
        assertThat(listing.select("time")).isEmpty();
    }

    @Test
    void timesOfAnEventHeldInAnotherZoneSayWhichZone() {
        SiteEvent paris = event("e6", "cayenne", "Webinaire", Instant.parse("2022-03-17T12:45:00Z"),
                Instant.parse("2022-03-17T13:45:00Z"));
        SiteEvent cayenne = new SiteEvent(paris.eventId(), 1, false, paris.slug(), paris.title(), paris.lead(),
                paris.primaryCategory(), paris.categories(), paris.tags(), paris.images(), paris.startsAt(),
                paris.endsAt(), "America/Cayenne", paris.location(), paris.access(), paris.infos(), paris.body(),
                paris.firstPublishedAt(), paris.updatedAt(), paris.publicationDate());
        Document page = SiteChecks.validHtml(renderer.eventPage(cayenne), "Cayenne page");
        // 9 h 45 in Cayenne is 13 h 45 in Paris: a reader in Paris must know whose 9 h 45 it is.
        assertThat(page.select(".event-date").text())
                .isEqualTo("jeudi 17 mars 2022, 9 h 45 – 10 h 45 (heure de Guyane française)");
        assertThat(FrenchDates.range(paris.startsAt(), null, ZoneId.of("Pacific/Noumea")))
                .isEqualTo("jeudi 17 mars 2022, 23 h 45 (heure de la Nouvelle-Calédonie)");
        // Same clock as Paris (Brussels), or Paris itself: nothing added.
        assertThat(FrenchDates.range(paris.startsAt(), paris.endsAt(), ZoneId.of("Europe/Brussels")))
                .isEqualTo("jeudi 17 mars 2022, 13 h 45 – 14 h 45");
        assertThat(renderer.eventPage(paris)).contains("jeudi 17 mars 2022, 13 h 45 – 14 h 45<");
    }

    @Test
    void anEventWithoutAnEndStaysUpcomingUntilItsDayEnds() {
        // 14 h 00 in Paris, no end (59 of the 95 dated corpus events give a start time only).
        SiteEvent noEnd = event("e7", "conference", "Conférence", Instant.parse("2022-03-17T13:00:00Z"), null);
        assertThat(noEnd.isUpcoming(Instant.parse("2022-03-17T14:30:00Z"))).as("under way").isTrue();
        assertThat(noEnd.isUpcoming(Instant.parse("2022-03-17T22:59:00Z"))).isTrue();
        assertThat(noEnd.isUpcoming(Instant.parse("2022-03-17T23:01:00Z"))).as("the next day in Paris").isFalse();
        assertThat(noEnd.upcomingUntil()).isEqualTo(Instant.parse("2022-03-17T23:00:00Z"));
        assertThat(renderer.indexEntry(noEnd)).contains("\"until\":\"2022-03-18T00:00:00+01:00\"");
        // With an end, the end decides.
        SiteEvent withEnd = event("e8", "atelier", "Atelier", Instant.parse("2022-03-17T13:00:00Z"),
                Instant.parse("2022-03-17T14:00:00Z"));
        assertThat(withEnd.isUpcoming(Instant.parse("2022-03-17T14:30:00Z"))).isFalse();
    }

    @Test
    void anIdAppearsOnceOnAPageThoughTheLeadAndTheRowsGiveTheBodysToo() {
        SiteEvent base = event("i1", "ids", "Ids", Instant.parse("2031-05-10T08:00:00Z"), null);
        SiteEvent withIds = new SiteEvent(base.eventId(), 1, false, base.slug(), base.title(),
                "Un chapeau\n{: #programme}", base.primaryCategory(), base.categories(), base.tags(), base.images(),
                base.startsAt(), base.endsAt(), base.timeZone(), base.location(), base.access(),
                List.of(new SiteEvent.Info("Salle", "<span id=\"programme\">A</span> puis *B*", null),
                        new SiteEvent.Info("Accès", "<span id=\"programme\">Rampe</span> et *ascenseur*", null)),
                "[Aller au programme](#programme)\n\n## Programme\n{: #programme}\n\nDu texte.\n",
                base.firstPublishedAt(), base.updatedAt(), base.publicationDate());
        org.jsoup.nodes.Document page = org.jsoup.Jsoup.parse(renderer.eventPage(withIds));
        assertThat(page.select("[id=contenu-programme]")).hasSize(1);
        assertThat(page.select("[id=contenu-programme]").first().normalName()).isEqualTo("h2");
        assertThat(page.select("a[href=#contenu-programme]")).hasSize(1);
        List<String> ids = page.select("[id]").eachAttr("id");
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void theIndexGivesTheDaysAnEventIsOnInItsZone() {
        // Paris: 20 h on the 10th to midnight; midnight of the 11th to midnight of the 12th (whole days, the corpus'
        // way: the 11th and the 12th); 23 h 30 on the 12th, no end.
        SiteEvent toMidnight = event("d1", "soiree", "Soirée", Instant.parse("2031-05-10T18:00:00Z"),
                Instant.parse("2031-05-10T22:00:00Z"));
        SiteEvent wholeDays = event("d2", "salon", "Salon", Instant.parse("2031-05-10T22:00:00Z"),
                Instant.parse("2031-05-11T22:00:00Z"));
        SiteEvent lateNoEnd = event("d3", "veillee", "Veillée", Instant.parse("2031-05-12T21:30:00Z"), null);
        SiteEvent overnight = event("d4", "nuit", "Nuit", Instant.parse("2031-05-12T20:00:00Z"),
                Instant.parse("2031-05-13T02:00:00Z"));
        assertThat(FrenchDates.range(toMidnight.startsAt(), toMidnight.endsAt(), toMidnight.zone()))
                .isEqualTo("samedi 10 mai 2031, 20 h 00 – minuit");
        assertThat(FrenchDates.range(overnight.startsAt(), overnight.endsAt(), overnight.zone()))
                .isEqualTo("lundi 12 mai 2031, 22 h 00 – mardi 13 mai 2031, 4 h 00");
        assertThat(renderer.indexEntry(toMidnight)).contains("\"firstDay\":\"2031-05-10\",\"lastDay\":\"2031-05-10\"");
        assertThat(renderer.indexEntry(wholeDays)).contains("\"firstDay\":\"2031-05-11\",\"lastDay\":\"2031-05-12\"");
        assertThat(renderer.indexEntry(lateNoEnd)).contains("\"firstDay\":\"2031-05-12\",\"lastDay\":\"2031-05-12\"");
        assertThat(renderer.indexEntry(overnight)).contains("\"firstDay\":\"2031-05-12\",\"lastDay\":\"2031-05-13\"");
    }

    @Test
    void anAtomEntryKeepsItsIdWhenItsEventIsRenamed() {
        String id = "6f1c2a9e-8d4b-4c47-9a51-2b3c4d5e6f70";
        SiteEvent before = event(id, "atelier", "Atelier", Instant.parse("2022-06-01T08:00:00Z"),
                Instant.parse("2022-06-01T10:00:00Z"));
        SiteEvent renamed = new SiteEvent(id, 2, false, "atelier-design", "Atelier design", before.lead(),
                before.primaryCategory(), before.categories(), before.tags(), before.images(), before.startsAt(),
                before.endsAt(), before.timeZone(), before.location(), before.access(), before.infos(),
                before.body(), before.firstPublishedAt(), before.updatedAt().plusSeconds(60), null);
        var first = SiteChecks.validAtom(renderer.atomFeed(List.of(before), renderer::atomSummary, null))
                .getEntries().get(0);
        var second = SiteChecks.validAtom(renderer.atomFeed(List.of(renamed), renderer::atomSummary, null))
                .getEntries().get(0);
        // A feed reader recognises the entry it has (same atom:id) and follows it to the new page.
        assertThat(second.getUri()).isEqualTo(first.getUri()).isEqualTo("urn:uuid:" + id);
        assertThat(second.getLink()).isEqualTo("https://agenda.example/agenda/atelier-design/");
    }

    @Test
    void cancelledOnlineEventHasBannerVirtualLocationAndCancelledCalendar() {
        SiteEvent base = event("e2", "webinaire", "Webinaire", Instant.parse("2022-06-01T08:00:00Z"),
                Instant.parse("2022-06-02T15:00:00Z"));
        SiteEvent event = new SiteEvent(base.eventId(), 7, true, base.slug(), base.title(), base.lead(),
                base.primaryCategory(), base.categories(), base.tags(), base.images(), base.startsAt(), base.endsAt(),
                base.timeZone(), new SiteEvent.Location("Evénement 100% en ligne", null, true, false), base.access(),
                base.infos(), base.body(), base.firstPublishedAt(), base.updatedAt(), base.publicationDate());
        Document page = SiteChecks.validHtml(renderer.eventPage(event), "cancelled page");
        assertThat(page.select(".banner--cancelled").text()).contains("annulé");
        assertThat(page.select(".event-date").text())
                .isEqualTo("mercredi 1er juin 2022, 10 h 00 – jeudi 2 juin 2022, 17 h 00");
        String ld = page.select("script[type=application/ld+json]").html();
        assertThat(ld).contains("https://schema.org/EventCancelled", "https://schema.org/OnlineEventAttendanceMode",
                "\"@type\":\"VirtualLocation\"", "\"url\":\"https://www.eventbrite.fr/e/1\"");

        var calendar = SiteChecks.validIcs(renderer.eventIcs(event));
        var vevent = calendar.getComponents("VEVENT").get(0);
        assertThat(vevent.getProperty("STATUS").orElseThrow().getValue()).isEqualTo("CANCELLED");
        assertThat(vevent.getProperty("SEQUENCE").orElseThrow().getValue()).isEqualTo("7");
        assertThat(vevent.getProperty("UID").orElseThrow().getValue()).isEqualTo("e2@agenda");
        assertThat(vevent.getProperty("DTSTART").orElseThrow().getValue()).isEqualTo("20220601T080000Z");
    }

    @Test
    void calendarLinesAreFoldedAt75OctetsNotCharactersAndNeverInsideACharacter() {
        // Corpus-like French: 73 characters with accents are more than 75 octets; an emoji is two UTF-16 chars.
        String title = "Journée « Numérique responsable » : écoconception, sobriété et accessibilité des "
                + "démarches 🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉 à l’école, déjà prévue";
        SiteEvent base = event("e9", "journee", title, Instant.parse("2022-03-17T12:45:00Z"),
                Instant.parse("2022-03-17T13:45:00Z"));
        String ics = renderer.eventIcs(base);
        SiteChecks.assertLinesFoldedAt75Octets(ics);
        var vevent = SiteChecks.validIcs(ics).getComponents("VEVENT").get(0);
        assertThat(vevent.getProperty("SUMMARY").orElseThrow().getValue()).isEqualTo(title);
        assertThat(vevent.getProperty("LOCATION").orElseThrow().getValue())
                .isEqualTo("Le lieu, 77 avenue de Ségur, 75015 Paris");
    }

    @Test
    void aCarriageReturnInATextFieldCannotAddAPropertyOrAnEventToTheCalendar() {
        // ical4j escapes "\n" and "\r\n" in a value but wrote a lone "\r" as it was, which parsers take for the end
        // of the content line: what followed became a property of its own.
        SiteEvent base = event("e8", "atelier", "Atelier\rATTACH:https://evil.example/x.exe",
                Instant.parse("2022-03-17T12:45:00Z"), Instant.parse("2022-03-17T13:45:00Z"));
        SiteEvent hostile = new SiteEvent(base.eventId(), 1, false, base.slug(), base.title(),
                "Un chapeau\rEND:VEVENT\rBEGIN:VEVENT\rUID:forged", base.primaryCategory(), base.categories(),
                base.tags(), base.images(), base.startsAt(), base.endsAt(), base.timeZone(),
                new SiteEvent.Location("Salle\rBEGIN:VALARM", "Paris\u2028TRIGGER:-PT5M", false, false),
                base.access(), base.infos(), base.body(), base.firstPublishedAt(), base.updatedAt(), base.publicationDate());

        // The upcoming events' calendar is made of the same VEVENT blocks (CalendarWriter.veventBlock).
        String ics = renderer.eventIcs(hostile);
        assertThat(ics.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
        assertThat(ics.split("\r\n")).noneMatch(line -> line.matches("(ATTACH|BEGIN:VALARM|TRIGGER|UID:forged).*"))
                .filteredOn("BEGIN:VEVENT"::equals).hasSize(1);
        var vevents = SiteChecks.validIcs(ics).getComponents("VEVENT");
        assertThat(vevents).hasSize(1);
        var vevent = vevents.get(0);
        assertThat(vevent.getProperty("ATTACH")).isEmpty();
        assertThat(vevent.getProperty("UID").orElseThrow().getValue()).isEqualTo("e8@agenda");
        assertThat(vevent.getProperty("SUMMARY").orElseThrow().getValue())
                .isEqualTo("Atelier ATTACH:https://evil.example/x.exe");
        assertThat(vevent.getProperty("LOCATION").orElseThrow().getValue())
                .isEqualTo("Salle BEGIN:VALARM, Paris TRIGGER:-PT5M");
        assertThat(vevent.getProperty("DESCRIPTION").orElseThrow().getValue()).contains("END:VEVENT");
    }

    @Test
    void bodyHeadingsNeverSkipALevelEvenWhenTheFirstOneIsTheSmallest() {
        // As in the corpus (« ### Déroulé : » before « ## Décrivez-nous votre projet », a lone « #### » first):
        // renumbering by rank alone left an h3 or h4 right after the page's h1, which the validator rejects and
        // screen reader users read as a missing section.
        SiteEvent event = withInfosAndBody(List.of(), """
                ### Déroulé

                Texte.

                ## Décrivez-nous votre projet

                ###### Détail

                Texte.

                ## Pour participer
                """);
        Document page = SiteChecks.validHtml(renderer.eventPage(event), "headings");
        List<String> outline = page.select("h1, h2, h3, h4, h5, h6").stream()
                .map(h -> h.normalName() + " " + h.text()).toList();
        assertThat(outline).containsExactly("h1 Forum", "h2 Déroulé", "h2 Décrivez-nous votre projet", "h3 Détail",
                "h2 Pour participer", "h2 Informations pratiques", "h2 Classement");

        SiteEvent lone = withInfosAndBody(List.of(), "#### Le jeudi 16 décembre de 10h à 12h\n{: .text-center}");
        assertThat(SiteChecks.validHtml(renderer.eventPage(lone), "lone heading").select(".event-body > *").first()
                .normalName()).isEqualTo("h2");
    }

    @Test
    void percentageImageWidthsBecomeCssAndOtherDimensionsArePixelsOnly() {
        // forum-emploi-tech-etat-2021-journee-speciale: ten logos with width="20%", invalid HTML (pixels only).
        SiteEvent event = withInfosAndBody(List.of(), """
                <img src="/uploads/logo.png" alt="Logo" width="20%"> <img src="/uploads/b.png" alt="B" width="35 %" height="50%">
                <img src="/uploads/c.png" alt="C" width="120" height="80"> <img src="/uploads/d.png" alt="D" width="auto">
                <iframe title="Vidéo" src="https://www.youtube.com/embed/x" width="100%" height="315"></iframe>
                """);
        Document page = SiteChecks.validHtml(renderer.eventPage(event), "image widths");
        assertThat(page.select("img[alt=Logo]").outerHtml()).doesNotContain("width=").contains("style=\"width: 20%\"");
        assertThat(page.select("img[alt=B]").attr("style")).isEqualTo("width: 35%");
        assertThat(page.select("img[alt=B]").hasAttr("height")).isFalse();
        assertThat(page.select("img[alt=C]").attr("width")).isEqualTo("120");
        assertThat(page.select("img[alt=C]").attr("height")).isEqualTo("80");
        assertThat(page.select("img[alt=D]").hasAttr("width")).isFalse();
        assertThat(page.select("img[alt=D]").hasAttr("style")).isFalse();
        assertThat(page.select("iframe").hasAttr("width")).isFalse();
        assertThat(page.select("iframe").attr("height")).isEqualTo("315");
        // The editor's own style attributes are still dropped.
        SiteEvent styled = withInfosAndBody(List.of(), "<img src=\"/u.png\" alt=\"E\" style=\"position:fixed\">");
        assertThat(SiteChecks.validHtml(renderer.eventPage(styled), "style").select("img[alt=E]").hasAttr("style"))
                .isFalse();
    }

    @Test
    void theAtomFeedSaysItsLanguageAsAtomDoes() {
        // RFC 4287 §2: the language of the feed's text is xml:lang; Rome only wrote dc:language, which Atom readers
        // do not look at.
        SiteEvent event = event("e10", "atelier", "Atelier", Instant.parse("2022-03-17T12:45:00Z"), null);
        String atom = renderer.atomFeed(List.of(event), renderer::atomSummary, null);
        SiteChecks.validAtom(atom);
        org.jsoup.nodes.Element feed = org.jsoup.Jsoup.parse(atom, "", org.jsoup.parser.Parser.xmlParser())
                .selectFirst("feed");
        assertThat(feed.attr("xml:lang")).isEqualTo("fr");
    }

    @Test
    void anAtomEntrysTitleIsOneLine() {
        SiteEvent event = event("e11", "atelier", "Atelier\r\n  du  jeudi\n", Instant.parse("2022-03-17T12:45:00Z"),
                null);
        String atom = renderer.atomFeed(List.of(event), renderer::atomSummary, null);
        assertThat(org.jsoup.Jsoup.parse(atom, "", org.jsoup.parser.Parser.xmlParser()).selectFirst("entry > title")
                .wholeText()).isEqualTo("Atelier du jeudi");
    }

    @Test
    void theCorpusTwoMistypedLinkSchemesAreRepaired() {
        // annotathon-piaf…: « http://mailto:piaf@data.gouv.fr » opened data.gouv.fr with « mailto:piaf » as
        // credentials instead of writing to the team; « https:/numerique.gouv.fr/… » is an invalid URL.
        SiteEvent event = withInfosAndBody(List.of(), """
                [écrire](http://mailto:piaf@data.gouv.fr) et <a href="HTTPS://mailto:a@b.fr">là</a>,
                [le jury](https:/numerique.gouv.fr/agenda/jury/), [ici](https://ok.example/a/) et [site](/agenda/).
                """);
        Document page = SiteChecks.validHtml(renderer.eventPage(event), "links");
        assertThat(page.select(".event-body a").eachAttr("href")).containsExactly("mailto:piaf@data.gouv.fr",
                "mailto:a@b.fr", "https://numerique.gouv.fr/agenda/jury/", "https://ok.example/a/", "/agenda/");
    }

    @Test
    void wholeDayEventsShowDatesOnlyStayUpcomingUntilTheirLastDayEndsAndAreDatesInTheirCalendar() {
        // The corpus records whole days as midnight to midnight of the last day (+01:00 in winter).
        SiteEvent threeDays = event("e4", "ethics", "Ethics by Design", Instant.parse("2022-11-15T23:00:00Z"),
                Instant.parse("2022-11-17T23:00:00Z"));
        Document page = SiteChecks.validHtml(renderer.eventPage(threeDays), "whole-day page");
        assertThat(page.select(".event-date").text()).isEqualTo("du mercredi 16 au vendredi 18 novembre 2022");
        // Machine-readable dates say the same: days, the last one included (not 0 h 00 of the 18th, its start).
        assertThat(page.select(".event-date time").attr("datetime")).isEqualTo("2022-11-16");
        String ld = page.select("script[type=application/ld+json]").html();
        assertThat(ld).contains("\"startDate\":\"2022-11-16\"", "\"endDate\":\"2022-11-18\"");
        assertThat(threeDays.isUpcoming(Instant.parse("2022-11-18T22:59:00Z"))).isTrue();
        assertThat(threeDays.isUpcoming(Instant.parse("2022-11-18T23:01:00Z"))).isFalse();
        var vevent = SiteChecks.validIcs(renderer.eventIcs(threeDays)).getComponents("VEVENT").get(0);
        assertThat(vevent.getProperty("DTSTART").orElseThrow().toString().strip())
                .isEqualTo("DTSTART;VALUE=DATE:20221116");
        assertThat(vevent.getProperty("DTEND").orElseThrow().toString().strip()).isEqualTo("DTEND;VALUE=DATE:20221119");

        assertThat(FrenchDates.range(Instant.parse("2022-11-15T23:00:00Z"), null, threeDays.zone()))
                .isEqualTo("mercredi 16 novembre 2022");
        assertThat(FrenchDates.range(Instant.parse("2022-11-29T23:00:00Z"), Instant.parse("2022-12-01T23:00:00Z"),
                threeDays.zone())).isEqualTo("du mercredi 30 novembre au vendredi 2 décembre 2022");
        assertThat(FrenchDates.range(Instant.parse("2022-12-30T23:00:00Z"), Instant.parse("2022-12-31T23:00:00Z"),
                threeDays.zone())).isEqualTo("du samedi 31 décembre 2022 au dimanche 1er janvier 2023");
        // Midnight in another zone is not midnight in the event's: a timed event.
        assertThat(FrenchDates.range(Instant.parse("2022-11-16T00:00:00Z"), null, threeDays.zone()))
                .isEqualTo("mercredi 16 novembre 2022, 1 h 00");
    }

    private SiteEvent withInfosAndBody(List<SiteEvent.Info> infos, String body) {
        SiteEvent base = event("e5", "forum", "Forum", Instant.parse("2022-06-01T08:00:00Z"),
                Instant.parse("2022-06-01T10:00:00Z"));
        return new SiteEvent(base.eventId(), 1, false, base.slug(), base.title(), base.lead(),
                base.primaryCategory(), base.categories(), base.tags(), base.images(), base.startsAt(), base.endsAt(),
                base.timeZone(), base.location(), base.access(), infos, body, base.firstPublishedAt(),
                base.updatedAt(), base.publicationDate());
    }

    @Test
    void infoRowsAreRenderedMarkdownKeptInlineAndLinked() {
        SiteEvent event = withInfosAndBody(List.of(
                new SiteEvent.Info("Condition d'accès", "pièce d'identité nécessaire\n<br>Possibilité de participer "
                        + "à distance", null),
                new SiteEvent.Info("Comment y aller ?", "M°6 Boissière – M°2 Victor-Hugo\n\nRER A : Étoile", null),
                new SiteEvent.Info("Forum", "Inscription *obligatoire* sur [le site](https://example.org/x)",
                        "https://app.example/forum"),
                new SiteEvent.Info("Piège", "<img src=x onerror=alert(1)><script>alert(2)</script>ok", null)),
                "");
        String html = renderer.eventPage(event);
        assertThat(html).contains("M°6 Boissière – M°2 Victor-Hugo<br>RER A : Étoile</dd>");
        Document page = SiteChecks.validHtml(html, "info rows");
        List<org.jsoup.nodes.Element> rows = page.select(".practical dd");
        org.jsoup.nodes.Element access = rows.get(rows.size() - 4);
        assertThat(access.text()).isEqualTo("pièce d'identité nécessaire Possibilité de participer à distance");
        assertThat(access.select("br")).hasSize(1);
        assertThat(access.select("p")).isEmpty();
        org.jsoup.nodes.Element route = rows.get(rows.size() - 3);
        assertThat(route.select("br")).hasSize(1);
        assertThat(route.select("p")).isEmpty();
        org.jsoup.nodes.Element forum = rows.get(rows.size() - 2);
        assertThat(forum.select("a")).hasSize(1); // the row's link, never an anchor inside an anchor
        assertThat(forum.select("a").attr("href")).isEqualTo("https://app.example/forum");
        assertThat(forum.select("a em").text()).isEqualTo("obligatoire");
        assertThat(forum.text()).isEqualTo("Inscription obligatoire sur le site");
        org.jsoup.nodes.Element trap = rows.get(rows.size() - 1);
        assertThat(trap.select("script, [onerror]")).isEmpty();
        assertThat(trap.text()).isEqualTo("ok");
        assertThat(renderer.infoText("pièce\n<br>Possibilité")).isEqualTo("pièce Possibilité");
    }

    /** Every term of the practical information has its description: a row with only a label is that description. */
    @Test
    void aRowWithOnlyALabelAndAnAccessWithoutLinesAreDescriptionsNotEmptyTerms() {
        SiteEvent base = withInfosAndBody(List.of(new SiteEvent.Info("Entrée libre", null, null)), "");
        SiteEvent event = new SiteEvent(base.eventId(), 1, false, base.slug(), base.title(), base.lead(),
                base.primaryCategory(), base.categories(), base.tags(), base.images(), base.startsAt(), base.endsAt(),
                base.timeZone(), base.location(), List.of(new SiteEvent.Access(
                        "Il est également possible d'assister à la session à distance", List.of()),
                        new SiteEvent.Access("Métro", List.of("6", "10"))),
                base.infos(), base.body(), base.firstPublishedAt(), base.updatedAt(), base.publicationDate());
        Document page = SiteChecks.validHtml(renderer.eventPage(event), "label-only rows");
        List<org.jsoup.nodes.Element> terms = page.select(".practical dt");
        assertThat(page.select(".practical dd")).hasSameSizeAs(terms)
                .allSatisfy(dd -> assertThat(dd.text()).isNotBlank());
        assertThat(page.select(".practical dt:containsOwn(Accès) + dd").text())
                .isEqualTo("Il est également possible d'assister à la session à distance");
        assertThat(page.select(".practical dt:containsOwn(Métro) + dd").text()).isEqualTo("6, 10");
        assertThat(page.select(".practical dt:containsOwn(Information) + dd").text()).isEqualTo("Entrée libre");
    }

    @Test
    void bodyKeepsCentringIdsForInPageMenusAndIframeSandbox() {
        SiteEvent event = withInfosAndBody(List.of(), """
                <nav><a href="#forum-en-ligne">Forum en ligne</a> <a href="#classement">Classement</a>
                <a href="#ailleurs">Ailleurs</a></nav>

                <div align="center"><a class="button" href="https://example.org">S'inscrire</a></div>

                <h3 id="forum-en-ligne">En ligne</h3>
                <p id="forum-en-ligne">doublon</p>
                <p id="infos-pratiques">un id de la page</p>
                <p id='x" onmouseover="alert(1)'>hostile</p>

                <iframe src="https://peertube.designersethiques.org/videos/embed/55d9" sandbox="allow-same-origin allow-scripts allow-popups"></iframe>
                """);
        Document page = SiteChecks.validHtml(renderer.eventPage(event), "body attributes");
        assertThat(page.select(".event-body div.text-center a.button")).hasSize(1);
        assertThat(page.select(".event-body [align]")).isEmpty();
        assertThat(page.select(".event-body h2#contenu-forum-en-ligne").text()).isEqualTo("En ligne");
        assertThat(page.select("a[href=#contenu-forum-en-ligne]").text()).isEqualTo("Forum en ligne");
        // Ids of the page stay the page's; links to them (not defined by the body) and unknown ids stay as written.
        assertThat(page.select("#infos-pratiques").first().tagName()).isEqualTo("h2");
        assertThat(page.select("#contenu-infos-pratiques").text()).isEqualTo("un id de la page");
        assertThat(page.select(".event-body a[href=#classement]")).hasSize(1);
        assertThat(page.select(".event-body a[href=#ailleurs]")).hasSize(1);
        assertThat(page.select("[id=contenu-forum-en-ligne]")).hasSize(1);
        assertThat(page.select(".event-body [onmouseover]")).isEmpty();
        assertThat(page.select(".event-body p:contains(hostile)").attr("id")).isEmpty();
        assertThat(page.select("iframe").attr("sandbox")).isEqualTo("allow-same-origin allow-scripts allow-popups");
    }

    @Test
    void templatesCanBeOverriddenFromADirectory(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("root.peb"), "<!DOCTYPE html><html lang=\"fr\"><head>"
                + "<title>Mon site {{ site.title }}</title></head><body></body></html>");
        SiteRenderer custom = new SiteRenderer(properties(dir));
        assertThat(custom.rootPage()).contains("<title>Mon site Agenda test</title>");
        assertThat(custom.eventPage(event("e3", "x", "Titre", null, null))).contains("<h1>Titre</h1>");
    }

    @Test
    void slugsThatWouldLeaveTheSiteAreRefusedBeforeAnyPathIsBuilt() {
        for (String slug : List.of("../etc", "a/b", "..", "A", "a--b", "-a", "a".repeat(121), "")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> SiteRenderer.eventPath(slug))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        AtomicFiles files = new AtomicFiles(Path.of("target/escape-root"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> files.resolve("../outside.html"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
