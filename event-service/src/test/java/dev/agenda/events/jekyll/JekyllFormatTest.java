package dev.agenda.events.jekyll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.agenda.events.domain.Access;
import dev.agenda.events.domain.Event;
import dev.agenda.events.domain.EventContent;
import dev.agenda.events.domain.EventStatus;
import dev.agenda.events.domain.Image;
import dev.agenda.events.domain.InfoRow;
import dev.agenda.events.jekyll.JekyllFormat.Imported;
import dev.agenda.events.jekyll.JekyllFormat.Rejected;

/** How each real-world oddity of the corpus is decided. */
class JekyllFormatTest {

    private static Imported read(String name, String frontMatter) {
        JekyllFormat.Parsed parsed = JekyllFormat.parse(name, "---\n" + frontMatter + "---\n\nLe corps.\n");
        assertThat(parsed).isInstanceOf(Imported.class);
        return (Imported) parsed;
    }

    @Test
    void corpusTimestampsKeepTheirOffsetAndTheBodyIsKeptVerbatim() {
        JekyllFormat.Parsed parsed = JekyllFormat.parse("forum.markdown", """
                ---
                title: Forum
                date: 2023-04-26 15:15:00 +02:00
                event_start_date: 2023-05-25 14:00:00 +02:00
                event_end_date: 2023-05-25 18:00:00 +02:00
                ---

                <div class="encadre noir">Texte</div>
                {: .encadre}
                """);
        Imported imported = (Imported) parsed;
        assertThat(imported.event().content().startsAt()).isEqualTo(Instant.parse("2023-05-25T12:00:00Z"));
        assertThat(imported.event().content().publicationDate()).isEqualTo(Instant.parse("2023-04-26T13:15:00Z"));
        assertThat(imported.event().content().body()).isEqualTo("<div class=\"encadre noir\">Texte</div>\n{: .encadre}");
        assertThat(imported.event().status()).isEqualTo(EventStatus.PUBLISHED);
        assertThat(JekyllFormat.write(imported.event())).contains("event_start_date: 2023-05-25 14:00:00 +02:00\n");
    }

    @Test
    void explicitlyTaggedScalarsAreReadAsJekyllReadsThem() {
        Imported tagged = read("tagged.md", """
                title: !!binary QXRlbGllciDDqXTDqQ==
                event_start_date: !!timestamp 2031-01-01 10:00:00 +01:00
                """);
        // Not "[B@6d06d69c", a different text at each import; not a Date that lost its offset.
        assertThat(tagged.event().content().title()).isEqualTo("Atelier été");
        assertThat(tagged.event().content().startsAt()).isEqualTo(Instant.parse("2031-01-01T09:00:00Z"));
        assertThat(tagged.event().status()).isEqualTo(EventStatus.PUBLISHED);
        assertThat(JekyllFormat.parse("tagged.md", JekyllFormat.write(tagged.event())))
                .isInstanceOfSatisfying(Imported.class, again -> assertThat(again.event().content())
                        .isEqualTo(tagged.event().content()));
    }

    @Test
    void aTaggedValueOfAnotherKindRejectsItsFileWithAReason() {
        for (String frontMatter : List.of("title: !!timestamp [1, 2]\n", "title: A\ndate: !!binary {a: 1}\n",
                "title: !!binary not-base64!!\n", "title: !!str [a]\n", "title: !!binary //79\n")) {
            assertThat(JekyllFormat.parse("tag.md", "---\n" + frontMatter + "---\nCorps.\n"))
                    .as(frontMatter).isInstanceOfSatisfying(Rejected.class,
                            r -> assertThat(r.reason()).startsWith("the front matter is not valid YAML"));
        }
    }

    @Test
    void categoriesAndTagsWrittenAsOneTextAreOnePerWordAsInJekyll() {
        Imported spaced = read("spaced.md", "title: A\ncategories: Meetup  Atelier\ntags: accessibilite\n");
        assertThat(spaced.event().content().categories()).containsExactly("Meetup", "Atelier");
        assertThat(spaced.event().content().tags()).containsExactly("accessibilite");
        assertThat(spaced.warnings()).anySatisfy(w -> assertThat(w).contains("categories 'Meetup  Atelier'"));
        // A list keeps its labels whole, spaces and all.
        Imported listed = read("listed.md", "title: A\ncategories:\n- Café de la transfo\n");
        assertThat(listed.event().content().categories()).containsExactly("Café de la transfo");
    }

    @Test
    void legacyEventDateKeysAreReadAsTheStart() {
        Imported a = read("a.md", "title: A\nevent_date: 2018-10-18 00:00:00 +02:00\n");
        Imported b = read("b.md", "title: B\ndateEvent: 2018-10-18 00:00:00 +02:00\n");
        assertThat(a.event().content().startsAt()).isEqualTo(Instant.parse("2018-10-17T22:00:00Z"));
        assertThat(b.event().content().startsAt()).isEqualTo(a.event().content().startsAt());
        assertThat(a.warnings()).anySatisfy(w -> assertThat(w).contains("legacy key 'event_date'"));
    }

    @Test
    void datesAreKeptToTheMillisecondAsTheStoreKeepsThem() {
        // Finer digits were kept in memory but not in MongoDB: every import of the file was a new revision.
        Imported a = read("a.md", "title: A\nevent_start_date: 2030-05-25 14:00:00.123456789 +02:00\n");
        assertThat(a.event().content().startsAt()).isEqualTo(Instant.parse("2030-05-25T12:00:00.123Z"));
    }

    @Test
    void aZoneIsReadOnlyWhenItIsAnIanaZoneNotAFixedOffset() {
        Imported cayenne = read("c.md", "title: C\nevent_start_date: 2026-12-10 07:00:00 -03:00\n"
                + "event_time_zone: America/Cayenne\n");
        assertThat(cayenne.event().content().timeZone()).isEqualTo("America/Cayenne");
        assertThat(cayenne.warnings()).isEmpty();
        Imported offset = read("o.md", "title: O\nevent_start_date: 2026-12-10 12:00:00 +02:00\n"
                + "event_time_zone: 'UTC+02:00'\n");
        assertThat(offset.event().content().timeZone()).isEqualTo("Europe/Paris");
        assertThat(offset.warnings()).anySatisfy(w -> assertThat(w).contains("is not an IANA time zone"));
    }

    @Test
    void nullStringsAndTrailingSpacesMeanNothing() {
        Imported i = read("n.md", """
                title: 'N '
                event_start_date: 2024-01-01 10:00:00 +01:00
                categorie: 'Meetup '
                champs_informations:
                - intitule: 'null'
                  contenu: 'null'
                  lien:
                - intitule: 'Horaires '
                  contenu: 'null'
                """);
        assertThat(i.event().content().title()).isEqualTo("N");
        assertThat(i.event().content().primaryCategory()).isEqualTo("Meetup");
        assertThat(i.event().content().infos()).containsExactly(new InfoRow("Horaires", null, null));
    }

    @Test
    void linksThatAreNotUrlsAreRepairedAsAnEditorWould() {
        Imported i = read("l.md", """
                title: L
                event_start_date: 2024-01-01 10:00:00 +01:00
                champs_informations:
                - intitule: Contact
                  lien: contact@demarches-simplifiees.fr
                - intitule: Inscription
                  lien: edite-piaf-sip.eventbrite.com
                - intitule: Site
                  lien: (https://design.numerique.gouv.fr/formations/)
                - intitule: Rien
                  lien: pas un lien
                """);
        assertThat(i.event().content().infos()).extracting(InfoRow::link).containsExactly(
                "mailto:contact@demarches-simplifiees.fr", "https://edite-piaf-sip.eventbrite.com",
                "https://design.numerique.gouv.fr/formations/", null);
    }

    @Test
    void infoRowsAsSomeCorpusFilesTypeThemLoseNothingSilently() {
        // As in two corpus files: a "mailto" key instead of "lien", an "Intitulé" and a "Key" nobody reads.
        Imported i = read("g.markdown", """
                title: Jury
                champs_informations:
                - intitule: Inscription et informations
                  contenu: par courriel
                  mailto: etna.dinsic@modernisation.gouv.fr
                - Intitulé: Horaires
                  contenu: 9 h 30 – 12 h
                  Key: Entrée sur présentation d'une pièce d'identité
                """);
        assertThat(i.event().content().infos()).extracting(InfoRow::label, InfoRow::link).containsExactly(
                tuple("Inscription et informations", "mailto:etna.dinsic@modernisation.gouv.fr"),
                tuple("Horaires", null));
        assertThat(i.warnings()).anySatisfy(w -> assertThat(w).contains("'mailto' read as its lien"))
                .anySatisfy(w -> assertThat(w).contains("'Intitulé' read as 'intitule'"))
                .anySatisfy(w -> assertThat(w).contains("unknown key 'Key'")
                        .contains("Entrée sur présentation d'une pièce d'identité"));
    }

    @Test
    void impossibleDatesAreDroppedAndTheEventBecomesADraft() {
        Imported i = read("f.markdown", """
                title: FranceConnect
                event_start_date: 0007-08-31 23:09:21 +00:09
                event_end_date: 0009-08-31 23:09:21 +00:09
                """);
        assertThat(i.event().content().startsAt()).isNull();
        assertThat(i.event().content().endsAt()).isNull();
        assertThat(i.event().status()).isEqualTo(EventStatus.DRAFT);
        assertThat(i.warnings()).anySatisfy(w -> assertThat(w).contains("year 7"));
    }

    @Test
    void anEndBeforeTheStartIsDropped() {
        Imported i = read("e.md", """
                title: E
                event_start_date: 2023-11-28 09:30:00 +01:00
                event_end_date: 2023-11-28 00:30:00 +01:00
                """);
        assertThat(i.event().content().endsAt()).isNull();
        assertThat(i.event().content().startsAt()).isNotNull();
    }

    @Test
    void publishedFalseIsADraftAndCancelledRoundTrips() {
        assertThat(read("d.md", "title: D\npublished: false\nevent_start_date: 2024-01-01 10:00:00 +01:00\n")
                .event().status()).isEqualTo(EventStatus.DRAFT);
        Imported c = read("c.md", "title: C\ncancelled: true\nevent_start_date: 2024-01-01 10:00:00 +01:00\n");
        assertThat(c.event().status()).isEqualTo(EventStatus.CANCELLED);
        assertThat(JekyllFormat.write(c.event())).contains("cancelled: true");
    }

    @Test
    void fileNamesBecomeSafeSlugs() {
        Imported i = read("_evenements/guichet-<<-adoption-du-cloud->>-webinaire.markdown", "title: G\n");
        assertThat(i.event().slug()).isEqualTo("guichet-adoption-du-cloud-webinaire");
        assertThat(JekyllFormat.parse("../../etc/passwd.md", "---\ntitle: P\n---\n"))
                .isInstanceOfSatisfying(Imported.class, p -> assertThat(p.event().slug()).isEqualTo("passwd"));
    }

    @Test
    void unreadableFilesAreRejectedWithAReason() {
        assertThat(JekyllFormat.parse("x.md", "pas de front matter")).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).contains("front matter"));
        assertThat(JekyllFormat.parse("x.md", "---\ntitle: A\n")).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).contains("not closed"));
        assertThat(JekyllFormat.parse("x.md", "---\n- a\n- b\n---\n")).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).contains("key: value"));
        assertThat(JekyllFormat.parse("x.md", "---\ntitle: " + "t".repeat(400) + "\n---\n"))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).contains("title must be at most"));
        assertThat(JekyllFormat.parse("***.md", "---\ntitle: A\n---\n")).isInstanceOf(Rejected.class);
    }

    @Test
    void aFileWhoseEventWouldNotFitInAKafkaRecordIsRejectedWithAReason() {
        // Under the file limit (500,000 characters) and every field within its own limit, but about 1 MB of UTF-8.
        StringBuilder file = new StringBuilder("---\ntitle: Énorme\nevent_start_date: 2030-01-01 10:00:00 +01:00\n")
                .append("champs_informations:\n");
        for (int i = 0; i < 50; i++) {
            file.append("- intitule: Rubrique ").append(i).append("\n  contenu: ").append("€".repeat(2_000))
                    .append('\n');
        }
        file.append("---\n\n").append("€".repeat(200_000)).append('\n');
        assertThat(file.length()).isLessThan(JekyllFormat.MAX_FILE_CHARS);
        JekyllFormat.Parsed parsed = JekyllFormat.parse("enorme.md", file.toString());
        assertThat(parsed).isInstanceOf(Rejected.class);
        assertThat(((Rejected) parsed).reason()).contains("event is ").contains("at most 800000 bytes");
    }

    /**
     * Texts YAML would read as something else (null, a boolean, a number, a date...) come back as the same strings.
     * A title "null" used to come back as no title (the file REJECTED), a venue or category "null" as no value.
     */
    @Test
    void yamlSpecialTextsRoundTripAsTheSameStrings() {
        List<String> specials = List.of("null", "Null", "NULL", "~", "true", "False", "yes", "no", "on", "OFF", "y",
                "1.0", "42", "-7", "0x1F", "0o17", "1e3", ".inf", ".NaN", "2024-01-01", "2024-01-01 10:00:00 +01:00",
                "2024-01-01T10:00:00Z", "<<", "'quoted'", "\"double\"", "- dash", "# hash", "a: b", "[liste]", "{x}",
                "@arobase", "`code`", "%pour", "!tag", "&ancre", "*alias", "|", ">", "?", "12:30", "1_000");
        Instant start = Instant.parse("2030-05-25T12:00:00Z");
        for (String text : specials) {
            EventContent content = new EventContent(text, start, text, text, List.of(text, "Atelier"),
                    List.of(text), List.of(new Image("/uploads/a.png", text, text)), start, null,
                    EventContent.DEFAULT_TIME_ZONE, text, text, false, List.of(new Access(text, List.of(text))),
                    List.of(new InfoRow(text, text, null)), null);
            Event event = new Event(JekyllFormat.idFor("special"), "special", EventStatus.PUBLISHED, 1, content,
                    start, start, start);
            String file = JekyllFormat.write(event);
            JekyllFormat.Parsed parsed = JekyllFormat.parse("special.markdown", file);
            assertThat(parsed).as(file).isInstanceOf(Imported.class);
            assertThat(((Imported) parsed).event().content()).as(file).isEqualTo(content);
            assertThat(JekyllFormat.write(((Imported) parsed).event())).as("stable").isEqualTo(file);
        }
        // Jekyll (Ruby's YAML) has a timestamp resolver: a title that looks like a date is quoted for it, our own
        // dates are not, so Jekyll still reads those as times.
        EventContent dated = new EventContent("2024-01-01", start, null, null, null, null, null, start, null, null,
                null, null, false, null, null, null);
        String file = JekyllFormat.write(new Event("x", "x", EventStatus.PUBLISHED, 1, dated, start, start, start));
        assertThat(file).contains("title: \"2024-01-01\"\n").contains("event_start_date: 2030-05-25 14:00:00 +02:00\n");
    }

    @Test
    void theCorpusNullStillMeansNoValueButADoubleQuotedNullIsAText() {
        Imported i = read("n.md", "title: \"null\"\nlieu: 'null'\ncategorie: null\nadresse: \"NULL\"\n");
        assertThat(i.event().content().title()).isEqualTo("null");
        assertThat(i.event().content().venue()).isNull();
        assertThat(i.event().content().primaryCategory()).isNull();
        assertThat(i.event().content().address()).isEqualTo("NULL");
    }
}
