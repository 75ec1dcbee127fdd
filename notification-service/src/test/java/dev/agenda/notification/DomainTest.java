package dev.agenda.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.agenda.notification.delivery.DeliveryOrder;
import dev.agenda.notification.event.AnnouncementPolicy;
import dev.agenda.notification.event.EventSnapshot;
import dev.agenda.notification.event.NoticeKind;
import dev.agenda.notification.event.ScheduleChange;
import dev.agenda.notification.mail.Subjects;
import dev.agenda.notification.subscription.EmailAddresses;
import dev.agenda.notification.subscription.LinkTokens;
import dev.agenda.notification.subscription.InvalidValueException;
import dev.agenda.notification.subscription.Preferences;

/** Plain JUnit for the pure parts: who gets what, tokens, addresses, headers. */
class DomainTest {

    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");

    private static EventSnapshot event(long revision, boolean cancelled, Instant starts, String place) {
        return new EventSnapshot("e1", revision, cancelled, "slug", "Titre", null, List.of("Atelier"), List.of("ia"),
                starts, starts == null ? null : starts.plus(Duration.ofHours(2)), "Europe/Paris",
                new EventSnapshot.Place(place, null, false), NOW.minusSeconds(60), NOW);
    }

    private static final Instant LATER = NOW.plus(Duration.ofDays(5));

    @Test
    void preferencesAreListedInTheSameOrderEveryTime() {
        List<String> chosen = List.of("Webinaire", "atelier", "Forum", "conférence", "hackathon", "Meetup", "salon",
                "Table ronde", "-2+3", "@rennes");
        List<String> reversed = new java.util.ArrayList<>(chosen);
        java.util.Collections.reverse(reversed);
        Preferences preferences = Preferences.of(chosen, reversed);
        List<String> sorted = chosen.stream().map(v -> v.toLowerCase(java.util.Locale.ROOT)).sorted().toList();
        assertThat(preferences.categories()).containsExactlyElementsOf(sorted);
        assertThat(preferences.tags()).containsExactlyElementsOf(sorted);
    }

    @Test
    void aChoiceThatCannotBeKeptIsRefusedNotWidenedToEverything() {
        java.util.List<String> withNull = new java.util.ArrayList<>();
        withNull.add(null);
        for (List<String> unusable : List.of(withNull, List.of(" "), List.of("x".repeat(Preferences.MAX_LENGTH + 1)),
                java.util.Collections.nCopies(Preferences.MAX_VALUES + 1, "c"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Preferences.of(unusable, List.of()))
                    .isInstanceOfSatisfying(dev.agenda.notification.subscription.InvalidValueException.class,
                            e -> assertThat(e.field()).isEqualTo("categories"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Preferences.of(List.of(), unusable))
                    .isInstanceOfSatisfying(dev.agenda.notification.subscription.InvalidValueException.class,
                            e -> assertThat(e.field()).isEqualTo("tags"));
        }
        // No choice at all is still everything; a choice is kept as made.
        assertThat(Preferences.of(null, List.of()).everything()).isTrue();
        assertThat(Preferences.of(List.of(" Atelier "), null)).isEqualTo(
                new Preferences(false, Set.of("atelier"), Set.of()));
    }

    @Test
    void theCatalogueShowsEachCategoryAsMostEventsSpellIt() {
        java.util.Map<String, Long> eventsByLabel = new java.util.LinkedHashMap<>();
        eventsByLabel.put("evénement", 1L);
        eventsByLabel.put("Événement", 3L);
        eventsByLabel.put("Évènement", 1L);
        eventsByLabel.put("journée d'échanges", 1L);
        eventsByLabel.put("Journée d'échanges", 1L);
        eventsByLabel.put("Atelier ", 2L);
        eventsByLabel.put("Atelier", 1L);
        eventsByLabel.put("Zoom", 1L);
        eventsByLabel.put(" ", 4L);
        // One label per key, in key order (É among the E's), the editors' capitals kept.
        assertThat(dev.agenda.notification.subscription.CategoryCatalog.labels(eventsByLabel))
                .containsExactly("Atelier", "Événement", "Journée d'échanges", "Zoom");
    }

    @Test
    void aSearchInUnicodeLooksForDomainsAsTheyAreStored() {
        assertThat(EmailAddresses.searchForm("société")).isEqualTo("xn--socit-esab");
        assertThat(EmailAddresses.searchForm("ana@société.fr")).isEqualTo("ana@xn--socit-esab.fr");
        assertThat(EmailAddresses.searchForm("société.fr")).isEqualTo("xn--socit-esab.fr");
        assertThat(EmailAddresses.searchForm("ana@example.org")).isEqualTo("ana@example.org");
        assertThat(EmailAddresses.normalise("ana@société.fr")).contains(EmailAddresses.searchForm("ana@société.fr"));
    }

    @Test
    void firstPublicationOfAFutureEventIsAnnounced() {
        assertThat(AnnouncementPolicy.decide(null, false, event(1, false, LATER, "A"), NOW))
                .contains(NoticeKind.ANNOUNCEMENT);
    }

    @Test
    void pastEventsCancelledOnesAndStaleRevisionsAreNot() {
        assertThat(AnnouncementPolicy.decide(null, false, event(1, false, NOW.minus(Duration.ofDays(1)), "A"), NOW))
                .isEmpty();
        assertThat(AnnouncementPolicy.decide(null, false, event(1, true, LATER, "A"), NOW)).isEmpty();
        EventSnapshot v2 = event(2, false, LATER, "A");
        assertThat(AnnouncementPolicy.decide(v2, true, event(2, true, LATER, "A"), NOW)).isEmpty();
        assertThat(AnnouncementPolicy.decide(v2, true, event(1, true, LATER, "A"), NOW)).isEmpty();
    }

    @Test
    void anEventFirstSeenOverOrCancelledIsAnnouncedWhenItIsMovedToTheFutureOrBackOn() {
        // Published with the wrong year, then corrected: nobody has heard of it yet.
        assertThat(AnnouncementPolicy.decide(event(1, false, NOW.minus(Duration.ofDays(1)), "A"), false,
                event(2, false, LATER, "A"), NOW)).contains(NoticeKind.ANNOUNCEMENT);
        assertThat(AnnouncementPolicy.decide(event(1, true, LATER, "A"), false, event(2, false, LATER, "A"), NOW))
                .contains(NoticeKind.ANNOUNCEMENT);
        // Still over, or still cancelled: nothing yet.
        assertThat(AnnouncementPolicy.decide(event(1, false, NOW.minus(Duration.ofDays(2)), "A"), false,
                event(2, false, NOW.minus(Duration.ofDays(1)), "A"), NOW)).isEmpty();
        assertThat(AnnouncementPolicy.decide(event(1, true, LATER, "A"), false, event(2, true, LATER, "B"), NOW))
                .isEmpty();
    }

    @Test
    void changesOfDateOrPlaceAreReschedulesOtherChangesNothing() {
        EventSnapshot v1 = event(1, false, LATER, "A");
        assertThat(AnnouncementPolicy.decide(v1, true, event(2, false, LATER.plusSeconds(3600), "A"), NOW))
                .contains(NoticeKind.RESCHEDULE);
        assertThat(AnnouncementPolicy.decide(v1, true, event(2, false, LATER, "B"), NOW))
                .contains(NoticeKind.RESCHEDULE);
        assertThat(AnnouncementPolicy.decide(v1, true, event(2, false, LATER, "A"), NOW)).isEmpty();
        assertThat(AnnouncementPolicy.decide(v1, true, event(2, true, LATER, "A"), NOW))
                .contains(NoticeKind.CANCELLATION);
        assertThat(AnnouncementPolicy.decide(v1, false, event(2, true, LATER, "A"), NOW)).isEmpty();
        assertThat(AnnouncementPolicy.decide(event(2, true, LATER, "A"), true, event(3, false, LATER, "A"), NOW))
                .contains(NoticeKind.RESCHEDULE);
    }

    private static EventSnapshot at(long revision, EventSnapshot.Place place) {
        return new EventSnapshot("e1", revision, false, "slug", "Titre", null, List.of(), List.of(), LATER,
                LATER.plus(Duration.ofHours(2)), "Europe/Paris", place, NOW.minusSeconds(60), NOW);
    }

    @Test
    void aRescheduleIsToldFromWhatItsRecipientsLastEmailShowed() {
        Instant a = NOW.plus(Duration.ofDays(10));
        Instant b = a.plus(Duration.ofDays(1));
        ScheduleChange.Earlier announced = new ScheduleChange.Earlier(NoticeKind.ANNOUNCEMENT, 1,
                event(1, false, a, "Ségur"));
        ScheduleChange.Earlier moved = new ScheduleChange.Earlier(NoticeKind.RESCHEDULE, 3,
                event(3, false, b, "Ségur"));
        ScheduleChange.Earlier cancelled = new ScheduleChange.Earlier(NoticeKind.CANCELLATION, 5,
                event(5, true, b, "Ségur"));
        List<ScheduleChange.Earlier> earlier = List.of(cancelled, announced, moved);

        // The move never reached them (superseded): told from the announced date.
        assertThat(ScheduleChange.since(earlier, announced, 2)).hasValueSatisfying(c -> {
            assertThat(c.before().startsAt()).isEqualTo(a);
            assertThat(c.backOn()).isFalse();
        });
        // An announcement that left after the move showed the new date.
        assertThat(ScheduleChange.since(earlier, announced, 4).orElseThrow().before().startsAt()).isEqualTo(b);
        assertThat(ScheduleChange.since(earlier, moved, 3).orElseThrow().before().startsAt()).isEqualTo(b);
        // Told it was cancelled: back on, from the date it had.
        assertThat(ScheduleChange.since(earlier, cancelled, 5)).hasValueSatisfying(c -> {
            assertThat(c.before().startsAt()).isEqualTo(b);
            assertThat(c.backOn()).isTrue();
        });
        // Only a cancellation kept (the rest removed with an old delivery log): unknown.
        assertThat(ScheduleChange.since(List.of(cancelled), cancelled, 5)).isEmpty();
    }

    @Test
    void aPlaceRetypedIsNotAMoveAnotherPlaceIs() {
        EventSnapshot v1 = at(1, new EventSnapshot.Place("Ségur", "20 avenue de Ségur, Paris", false));
        assertThat(AnnouncementPolicy.decide(v1, true,
                at(2, new EventSnapshot.Place(" SEGUR", "20, avenue de Segur  Paris ", false)), NOW)).isEmpty();
        assertThat(AnnouncementPolicy.decide(v1, true,
                at(2, new EventSnapshot.Place("Fontenoy", "20 avenue de Ségur, Paris", false)), NOW))
                .contains(NoticeKind.RESCHEDULE);
        assertThat(AnnouncementPolicy.decide(v1, true,
                at(2, new EventSnapshot.Place("Ségur", "1 place de Fontenoy, Paris", false)), NOW))
                .contains(NoticeKind.RESCHEDULE);
        assertThat(AnnouncementPolicy.decide(v1, true, at(2, null), NOW)).contains(NoticeKind.RESCHEDULE);
        EventSnapshot online = at(1, new EventSnapshot.Place("Webinaire", null, true));
        assertThat(AnnouncementPolicy.decide(online, true, at(2, new EventSnapshot.Place("Webinaire", null, false)),
                NOW)).contains(NoticeKind.RESCHEDULE);
        // A location with nothing in it ("show the map" alone) is no place at all.
        assertThat(AnnouncementPolicy.decide(at(1, null), true, at(2, new EventSnapshot.Place(null, " ", false)), NOW))
                .isEmpty();
    }

    @Test
    void deliveryIdentityIgnoresTheRevisionOnlyForAnnouncements() {
        assertThat(DeliveryOrder.of("e", 1, NoticeKind.ANNOUNCEMENT, "s").deliveryId())
                .isEqualTo(DeliveryOrder.of("e", 7, NoticeKind.ANNOUNCEMENT, "s").deliveryId());
        assertThat(DeliveryOrder.of("e", 3, NoticeKind.RESCHEDULE, "s").deliveryId())
                .isNotEqualTo(DeliveryOrder.of("e", 5, NoticeKind.RESCHEDULE, "s").deliveryId());
        assertThat(DeliveryOrder.of("e", 1, NoticeKind.CANCELLATION, "s").deliveryId())
                .isNotEqualTo(DeliveryOrder.of("e", 1, NoticeKind.ANNOUNCEMENT, "s").deliveryId());
        // Cancelled, back on, cancelled again: two cancellations; the same one decided twice (a replay): one.
        assertThat(DeliveryOrder.of("e", 2, NoticeKind.CANCELLATION, "s").deliveryId())
                .isNotEqualTo(DeliveryOrder.of("e", 4, NoticeKind.CANCELLATION, "s").deliveryId())
                .isEqualTo(DeliveryOrder.of("e", 2, NoticeKind.CANCELLATION, "s").deliveryId());
    }

    @Test
    void tokensAreBoundToPurposeKeyAndExpiry() {
        LinkTokens tokens = new LinkTokens("a-key-of-at-least-thirty-two-characters!");
        String id = "0b7f0c1e-9a57-4d6b-8d7e-2f7d3f1f6c11";
        String confirm = tokens.issue(LinkTokens.Purpose.CONFIRM, id, NOW.plus(Duration.ofDays(7)));
        assertThat(tokens.verify(LinkTokens.Purpose.CONFIRM, confirm, NOW)).map(LinkTokens.Claims::subscriberId)
                .contains(id);
        assertThat(tokens.verify(LinkTokens.Purpose.MANAGE, confirm, NOW)).isEmpty();
        assertThat(tokens.verify(LinkTokens.Purpose.CONFIRM, confirm, NOW.plus(Duration.ofDays(8)))).isEmpty();
        assertThat(new LinkTokens("another-key-of-at-least-thirty-two-chars")
                .verify(LinkTokens.Purpose.CONFIRM, confirm, NOW)).isEmpty();
        String manage = tokens.issue(LinkTokens.Purpose.MANAGE, id, null);
        assertThat(tokens.verify(LinkTokens.Purpose.MANAGE, manage, NOW.plus(Duration.ofDays(3650)))).isPresent();
        // Nothing personal in a link: purpose, random id, expiry, epoch and MAC, so the same size whoever it is for.
        assertThat(manage).hasSameSizeAs(confirm).hasSize(39 + 1 + 43)
                .hasSameSizeAs(tokens.issue(LinkTokens.Purpose.MANAGE, java.util.UUID.randomUUID().toString(), null));
        assertThat(tokens.verify(LinkTokens.Purpose.MANAGE, manage + "x", NOW)).isEmpty();
        assertThat(tokens.verify(LinkTokens.Purpose.MANAGE, "garbage", NOW)).isEmpty();
    }

    @Test
    void addressesAreNormalisedAndNothingCanBeSmuggled() {
        assertThat(EmailAddresses.normalise("  Ana.Lopez@Example.ORG ")).contains("ana.lopez@example.org");
        assertThat(EmailAddresses.normalise("ana@example.org\r\nBcc: x@example.org")).isEmpty();
        assertThat(EmailAddresses.normalise("Ana <ana@example.org>")).isEmpty();
        assertThat(EmailAddresses.normalise("ana@localhost")).isEmpty();
        assertThat(EmailAddresses.normalise(null)).isEqualTo(Optional.empty());
    }

    @Test
    void anInternationalisedDomainIsOneAddressWhicheverWayItIsTyped() {
        assertThat(EmailAddresses.normalise("Ana@Société.fr")).contains("ana@xn--socit-esab.fr");
        assertThat(EmailAddresses.normalise("ana@XN--SOCIT-ESAB.FR")).contains("ana@xn--socit-esab.fr");
        assertThat(EmailAddresses.normalise("ana@société.fr\r\nBcc: x@example.org")).isEmpty();
        assertThat(EmailAddresses.normalise("anaïs@example.fr")).isEmpty();
        // IDNA2008: « ß » is a letter of its own, not « ss » (IDNA2003, java.net.IDN: another domain, another mailbox).
        assertThat(EmailAddresses.normalise("eve@straße.de")).contains("eve@xn--strae-oqa.de");
        assertThat(EmailAddresses.normalise("eve@-société.fr")).isEmpty();
        assertThat(EmailAddresses.unicodeDomain("ana@xn--socit-esab.fr")).isEqualTo("ana@société.fr");
        assertThat(EmailAddresses.unicodeDomain("ana@example.org")).isEqualTo("ana@example.org");
    }

    @Test
    void aTopicLongerOnceInLowerCaseIsRefusedNotDroppedIntoEverything() {
        String dotted = "İ" + "a".repeat(Preferences.MAX_LENGTH - 1);
        assertThat(dotted).hasSize(Preferences.MAX_LENGTH);
        assertThatThrownBy(() -> Preferences.of(List.of(dotted), List.of()))
                .isInstanceOf(InvalidValueException.class);
    }

    @Test
    void preferencesMatchCaseInsensitivelyAndEmptyMeansEverything() {
        Preferences chosen = Preferences.of(List.of(" Atelier "), List.of());
        assertThat(chosen.everything()).isFalse();
        assertThat(chosen.categories()).isEqualTo(Set.of("atelier"));
        assertThat(chosen.matches(List.of("ATELIER"), List.of())).isTrue();
        assertThat(chosen.matches(List.of("conférence"), List.of("atelier"))).isFalse();
        assertThat(Preferences.of(List.of(), null).everything()).isTrue();
    }

    @Test
    void preferencesMatchAccentsAndPunctuationAsTheSiteDoes() {
        Preferences chosen = Preferences.of(List.of("Événement"), List.of("Webinaire d’information"));
        assertThat(chosen.matches(List.of("Evénement"), List.of())).isTrue();
        assertThat(chosen.matches(List.of("évènement "), List.of())).isTrue();
        assertThat(chosen.matches(List.of(), List.of("webinaire d'information"))).isTrue();
        assertThat(chosen.matches(List.of("Événements"), List.of("webinaire"))).isFalse();
        // A category chosen matches categories, not tags.
        assertThat(chosen.matches(List.of(), List.of("Événement"))).isFalse();
    }

    @Test
    void headerTextLosesItsLineBreaksButNotItsWords() {
        assertThat(Subjects.singleLine("Atelier\r\nBcc: x@example.org\u2028Fin")).isEqualTo("Atelier Bcc: x@example.org Fin");
    }
}
