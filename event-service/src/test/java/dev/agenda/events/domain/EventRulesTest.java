package dev.agenda.events.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class EventRulesTest {

    static EventContent content(String title, Instant start, Instant end) {
        return new EventContent(title, null, null, null, null, null, null, start, end, null, null, null, false, null,
                null, null);
    }

    private static List<String> fields(List<Violation> violations) {
        return violations.stream().map(Violation::field).toList();
    }

    @Test
    void aDraftNeedsOnlyATitleButPublishingNeedsAStart() {
        assertThat(EventRules.check(content("A", null, null), EventStatus.DRAFT)).isEmpty();
        assertThat(fields(EventRules.check(content("A", null, null), EventStatus.PUBLISHED)))
                .containsExactly("startsAt");
        assertThat(fields(EventRules.check(content(" ", null, null), EventStatus.DRAFT))).containsExactly("title");
        // No-break and em spaces, a zero-width space: a title nobody can see.
        assertThat(fields(EventRules.check(content("\u00a0\u2003\u200b", null, null), EventStatus.DRAFT)))
                .containsExactly("title");
        assertThat(fields(EventRules.check(content("\u2800\u3164", null, null), EventStatus.DRAFT)))
                .containsExactly("title");
        assertThat(EventRules.check(content("\u00a0Atelier", null, null), EventStatus.DRAFT)).isEmpty();
        // Drawn reversed: « Atelier exe.png ».
        assertThat(fields(EventRules.check(content("Atelier \u202Egnp.exe", null, null), EventStatus.DRAFT)))
                .containsExactly("title");
        assertThat(EventRules.check(content("Atelier « مرحبا » שלום", null, null), EventStatus.DRAFT)).isEmpty();
    }

    @Test
    void theEndCannotPrecedeTheStartAndDatesMustBePlausible() {
        Instant start = Instant.parse("2030-01-01T10:00:00Z");
        assertThat(fields(EventRules.check(content("A", start, start.minusSeconds(1)), EventStatus.DRAFT)))
                .containsExactly("endsAt");
        assertThat(EventRules.check(content("A", start, start), EventStatus.DRAFT)).isEmpty();
        assertThat(fields(EventRules.check(content("A", Instant.parse("0007-08-31T23:00:00Z"), null),
                EventStatus.DRAFT))).containsExactly("startsAt");
        EventContent far = content("A", start, null).withPublicationDate(Instant.parse("9999-12-31T23:00:00Z"));
        assertThat(fields(EventRules.check(far, EventStatus.PUBLISHED))).containsExactly("publicationDate");
        EventContent old = content("A", start, null).withPublicationDate(Instant.parse("1900-01-01T00:00:00Z"));
        assertThat(fields(EventRules.check(old, EventStatus.DRAFT))).containsExactly("publicationDate");
        assertThat(EventRules.check(content("A", start, null).withPublicationDate(start), EventStatus.PUBLISHED))
                .isEmpty();
    }

    @Test
    void linksAndImagesMustBeWellFormed() {
        assertThat(EventRules.isWellFormedUrl("https://www.weezevent.com/x", true)).isTrue();
        assertThat(EventRules.isWellFormedUrl("/uploads/people.png", false)).isTrue();
        assertThat(EventRules.isWellFormedUrl("mailto:contact@demarches-simplifiees.fr", true)).isTrue();
        assertThat(EventRules.isWellFormedUrl("mailto:contact@demarches-simplifiees.fr", false)).isFalse();
        assertThat(EventRules.isWellFormedUrl("javascript:alert(1)", true)).isFalse();
        assertThat(EventRules.isWellFormedUrl("//evil.example/x", false)).isFalse();
        // Browsers read a backslash in a path as a slash: "/\\evil.example" is "//evil.example".
        assertThat(EventRules.isWellFormedUrl("/\\evil.example/x", true)).isFalse();
        assertThat(EventRules.isWellFormedUrl("/uploads/../secret", false)).isFalse();
        assertThat(EventRules.isWellFormedUrl("https://a b", true)).isFalse();
    }

    @Test
    void listsAndTextsAreBounded() {
        EventContent big = new EventContent("A", null, "x".repeat(EventRules.MAX_TEXT + 1), null,
                java.util.Collections.nCopies(EventRules.MAX_LIST + 1, "c"), List.of(" "), null, null, null, null,
                null, null, false, null, null, null);
        assertThat(fields(EventRules.check(big, EventStatus.DRAFT))).containsExactlyInAnyOrder("lead", "categories",
                "tags[0]");
    }

    @Test
    void theWholeEventIsBoundedSoItsMessageFitsUnderKafkasRecordLimit() {
        // Every field within its own limit, 1.25 MB in all: it could be stored but never published.
        List<Access> access = java.util.Collections.nCopies(EventRules.MAX_LIST, new Access("Bus",
                java.util.Collections.nCopies(EventRules.MAX_LIST, "l".repeat(EventRules.MAX_SHORT))));
        EventContent huge = new EventContent("A", null, null, null, null, null, null, null, null, null, null, null,
                false, access, null, null);
        assertThat(fields(EventRules.check(huge, EventStatus.DRAFT))).containsExactly("event");

        // The bound is on bytes: 200,000 characters of three bytes each are 600,000 bytes, plus a long lead.
        EventContent wide = new EventContent("A", null, "€".repeat(EventRules.MAX_TEXT), null, null, null, null, null,
                null, null, null, null, false, null, null, "€".repeat(EventRules.MAX_BODY));
        assertThat(EventRules.check(wide, EventStatus.DRAFT)).isEmpty();
        assertThat(EventRules.encodedBytes(wide)).isEqualTo(3L * (EventRules.MAX_TEXT + EventRules.MAX_BODY) + 13);
        EventContent wider = new EventContent("A", null, null, null, null, null, null, null, null, null, null, null,
                false, null, null, "😀".repeat(EventRules.MAX_BODY / 2 - 1) + "€".repeat(1));
        assertThat(EventRules.encodedBytes(wider)).isEqualTo(4L * (EventRules.MAX_BODY / 2 - 1) + 3 + 13);
    }

    /** A NUL pasted into a venue once reached the topic and the site's Atom writer could not write the event. */
    @Test
    void textsMustNotHoldCharactersNoPageFeedOrEmailCanCarry() {
        EventContent bad = new EventContent("Atelier\u0001", null, "lead\u0007", "Type\u007F",
                List.of("Atelier\u0000"), List.of("IA\uFFFF"),
                List.of(new Image("/uploads/a\u0000.png", "légende\u0085", "alt\uD800")), null, null, null,
                "V\u0000enue", "rue\u000B", false, List.of(new Access("Métro\u001B", List.of("10\u0002"))),
                List.of(new InfoRow("Horaires\u000C", "14h\uDC00", null)), "corps\u0000");
        List<Violation> violations = EventRules.check(bad, EventStatus.DRAFT);
        assertThat(fields(violations)).containsExactlyInAnyOrder("title", "lead", "primaryCategory", "categories[0]",
                "tags[0]", "images[0].url", "images[0].caption", "images[0].altText", "venue", "address",
                "access[0].type", "access[0].lines[0]", "infos[0].label", "infos[0].content", "body");
        assertThat(violations).filteredOn(x -> x.field().equals("venue")).singleElement()
                .satisfies(x -> assertThat(x.message()).contains("U+0000 at position 1"));

        // What editors do type: tabs, line breaks (a corpus title has one), accents, emoji (a surrogate pair).
        EventContent fine = new EventContent("Présentation\ndes résultats 🎉", null, "a\tb\r\nc", null, null,
                null, null, null, null, null, null, null, false, null, null, "corps\n\n**gras** 🎉");
        assertThat(EventRules.check(fine, EventStatus.DRAFT)).isEmpty();
        assertThat(EventRules.forbiddenCharacterAt("ok 🎉")).isEqualTo(-1);
        assertThat(EventRules.forbiddenCharacterAt("ok \uD83C")).isEqualTo(3);
    }

    /** ZoneId.of also takes fixed offsets; one knows no summer time and pages named the zone « (+02:00) ». */
    @Test
    void theTimeZoneIsAnIanaZoneNotAnOffset() {
        for (String zone : List.of("Europe/Paris", "America/Cayenne", "Pacific/Noumea", "UTC")) {
            assertThat(EventRules.check(withZone(zone), EventStatus.DRAFT)).as(zone).isEmpty();
        }
        for (String zone : List.of("+02:00", "UTC+2", "GMT+01:00", "Z", "Mars/Olympus", "europe/paris")) {
            assertThat(fields(EventRules.check(withZone(zone), EventStatus.DRAFT))).as(zone)
                    .containsExactly("timeZone");
        }
    }

    private static EventContent withZone(String zone) {
        return new EventContent("A", null, null, null, null, null, null, null, null, zone, null, null, false, null,
                null, null);
    }
}
