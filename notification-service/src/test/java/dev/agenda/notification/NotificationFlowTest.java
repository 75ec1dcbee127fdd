package dev.agenda.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.EventStatus;
import dev.agenda.schemas.Topics;

/** The acceptance scenarios, end to end against the real local infrastructure. */
class NotificationFlowTest extends IntegrationTestBase {

    @Test
    void subscribeConfirmAnnounceOnceThenOneClickUnsubscribeStopsLaterEmails() throws Exception {
        String category = unique("cat");
        String email = unique("ana") + "@example.org";

        HttpResponse<String> first = subscribe(email, List.of(category), List.of());
        HttpResponse<String> again = subscribe(email.toUpperCase(), List.of(category), List.of());
        HttpResponse<String> unknown = subscribe(unique("zoe") + "@example.org", List.of(category), List.of());
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.body()).isEqualTo(first.body()).isEqualTo(unknown.body());

        // Two requests, one subscription: the later link is the valid one.
        List<Map<String, Object>> confirmations = awaitMessages(email, 2);
        HttpResponse<String> search = admin("GET", "/api/admin/subscribers?q=" + email, null, null);
        assertThat(search.body()).contains("\"total\":1");
        String link = firstLink(text(confirmations.get(1)), "/subscriptions/confirm");
        assertThat(get(pathOf(link)).body()).contains("<form method=\"post\"");
        assertThat(post("/subscriptions/confirm", "application/x-www-form-urlencoded", "token=" + tokenOf(link))
                .statusCode()).isEqualTo(200);
        assertThat(admin("GET", "/api/admin/subscribers?status=CONFIRMED&q=" + email, null, null).body())
                .contains("\"total\":1");

        String eventId = UUID.randomUUID().toString();
        EventPublished event = event(eventId, "Atelier accessibilité", List.of(category), List.of()).build();
        publish(event);
        List<Map<String, Object>> mails = awaitMessages(email, 3);
        Map<String, Object> announcement = mails.get(2);
        assertThat(announcement.get("subject")).asString().contains("Atelier accessibilité");
        assertThat(header(announcement, "List-Unsubscribe")).contains("/subscriptions/unsubscribe?token=")
                .contains("mailto:");
        assertThat(header(announcement, "List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(header(announcement, "Message-ID")).endsWith("@agenda.localhost>");
        assertThat(text(announcement)).contains("Atelier accessibilité").contains("/agenda/" + event.getSlug() + "/")
                .contains("(heure de Paris)").contains("Ségur");
        assertThat(String.valueOf(announcement.get("html"))).contains("<h1").contains("Atelier accessibilité");
        assertThat(announcement.get("attachments")).asString().contains("evenement.ics").contains("text/calendar");

        // The same record again (a redelivery, or a replay): nothing more.
        publish(event);
        awaitAllConsumed();
        assertThat(messagesTo(email)).hasSize(3);

        // RFC 8058 one-click: the mail client POSTs to the List-Unsubscribe URL.
        String unsubscribe = header(announcement, "List-Unsubscribe").replaceAll("(?s)^<([^>]+)>.*$", "$1");
        HttpResponse<String> page = get(pathOf(unsubscribe));
        assertThat(page.body()).contains("Me désabonner");
        assertThat(post(pathOf(unsubscribe), "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click")
                .statusCode()).isEqualTo(200);

        publish(event(UUID.randomUUID().toString(), "Second atelier", List.of(category), List.of()).build());
        awaitAllConsumed();
        assertThat(messagesTo(email)).hasSize(3);
    }

    @Test
    void preferencesDecideWhoHearsAboutWhat() throws Exception {
        String workshops = unique("ateliers");
        String tag = unique("ia");
        String byCategory = unique("bea") + "@example.org";
        String byTag = unique("carl") + "@example.org";
        String changedMind = unique("dan") + "@example.org";
        subscribeAndConfirm(byCategory, List.of(workshops.toUpperCase()), List.of());
        subscribeAndConfirm(byTag, List.of(), List.of(tag));
        subscribeAndConfirm(changedMind, List.of(workshops), List.of());

        // Dan now wants a category no event has: from the preferences page linked in every email.
        String preferences = base() + "/subscriptions/preferences?token=" + manageToken(changedMind);
        assertThat(get(pathOf(preferences)).body()).contains(changedMind);
        String form = "token=" + java.net.URLEncoder.encode(tokenOf(preferences), "UTF-8");
        // "Only chosen topics" with none chosen would silently stop every email: refused, nothing saved.
        HttpResponse<String> nothingChosen = post("/subscriptions/preferences", "application/x-www-form-urlencoded",
                form + "&mode=chosen&otherCategories=&tags=");
        assertThat(nothingChosen.statusCode()).isEqualTo(422);
        assertThat(nothingChosen.body()).contains("Rien n'a été enregistré").doesNotContain("sont enregistrées");
        assertThat(post("/subscriptions/preferences", "application/x-www-form-urlencoded",
                form + "&mode=chosen&otherCategories=" + unique("none") + "&tags=").body())
                .contains("Vos préférences sont enregistrées");

        publish(event(UUID.randomUUID().toString(), "Atelier", List.of(workshops), List.of()).build());
        publish(event(UUID.randomUUID().toString(), "Conférence IA", List.of(unique("other")), List.of(tag)).build());
        // A category given only as the primary one counts, as on the site's type pages.
        publish(event(UUID.randomUUID().toString(), "Atelier principal", List.of(), List.of())
                .setPrimaryCategory(workshops).build());
        awaitAllConsumed();
        assertThat(messagesTo(byCategory)).extracting(m -> m.get("subject")).asString()
                .contains("Atelier").contains("Atelier principal").doesNotContain("Conférence IA");
        assertThat(messagesTo(byCategory)).hasSize(3);
        assertThat(messagesTo(byTag)).hasSize(2);
        assertThat(messagesTo(byTag).get(1).get("subject")).asString().contains("Conférence IA");
        assertThat(messagesTo(changedMind)).hasSize(1);
    }

    @Test
    void choicesMatchEventsSpelledWithOtherAccentsAsOnTheSite() throws Exception {
        String suffix = unique("x");
        String byCategory = unique("gil") + "@example.org";
        String byTag = unique("hana") + "@example.org";
        subscribeAndConfirm(byCategory, List.of("Événement " + suffix), List.of());
        subscribeAndConfirm(byTag, List.of(), List.of("Données publiques " + suffix));

        // The site lists each of these on the page of the chosen category (or tag): the same key, accents aside.
        publish(event(UUID.randomUUID().toString(), "Rencontre accentuée", List.of("Évènement " + suffix), List.of())
                .build());
        publish(event(UUID.randomUUID().toString(), "Ouverture des données", List.of(unique("other")),
                List.of("donnees publiques " + suffix)).build());
        publish(event(UUID.randomUUID().toString(), "Sans accent", List.of(), List.of())
                .setPrimaryCategory("Evenement " + suffix).build());
        awaitAllConsumed();
        assertThat(messagesTo(byCategory)).extracting(m -> m.get("subject")).asString()
                .contains("Rencontre accentuée").contains("Sans accent").doesNotContain("Ouverture");
        assertThat(messagesTo(byCategory)).hasSize(3);
        assertThat(messagesTo(byTag)).hasSize(2);
        assertThat(messagesTo(byTag).get(1).get("subject")).asString().contains("Ouverture des données");

        // The preferences page offers these spellings as one category, ticked for the person who chose it.
        String page = get("/subscriptions/preferences?token=" + manageToken(byCategory)).body();
        List<String> boxes = java.util.regex.Pattern.compile("<input type=\"checkbox\" name=\"categories\" value=\"[^\"]*"
                + java.util.regex.Pattern.quote(suffix) + "\"[^>]*>").matcher(page).results()
                .map(java.util.regex.MatchResult::group).toList();
        assertThat(boxes).hasSize(1);
        assertThat(boxes.get(0)).contains("checked");
        assertThat(page.replaceAll("(?s).*id=\"other-categories\"([^>]*)>.*", "$1")).doesNotContain(suffix);
    }

    @Test
    void thePreferencesPageShowsCategoriesAsTheEditorsSpellThem() throws Exception {
        String suffix = unique("s");
        String email = unique("ines") + "@example.org";
        // As the subscription form sends it: in lower case, another spelling of the same category.
        subscribeAndConfirm(email, List.of("evenement " + suffix), List.of());
        for (String label : List.of("Événement " + suffix, "Événement " + suffix, "évènement " + suffix)) {
            publish(event(UUID.randomUUID().toString(), "Étiquette", List.of(label), List.of()).build());
        }
        awaitAllConsumed();

        String page = get("/subscriptions/preferences?token=" + manageToken(email)).body();
        List<String> boxes = java.util.regex.Pattern.compile("<label><input type=\"checkbox\" name=\"categories\"[^<]*"
                + java.util.regex.Pattern.quote(suffix) + "</label>").matcher(page).results()
                .map(java.util.regex.MatchResult::group).toList();
        assertThat(boxes).hasSize(1);
        assertThat(boxes.get(0)).contains("value=\"Événement " + suffix + "\"").contains("checked")
                .endsWith("> Événement " + suffix + "</label>");
    }

    @Test
    void cancellationAndRescheduleGoOnlyToThoseAnnounced() throws Exception {
        String category = unique("cat");
        String early = unique("eve") + "@example.org";
        String late = unique("fred") + "@example.org";
        subscribeAndConfirm(early, List.of(category), List.of());

        String eventId = UUID.randomUUID().toString();
        EventPublished v1 = event(eventId, "Webinaire", List.of(category), List.of()).build();
        publish(v1);
        awaitMessages(early, 2);

        // Confirmed after the first publication: never hears about this event.
        subscribeAndConfirm(late, List.of(category), List.of());

        // A new title only: nothing to say.
        EventPublished v2 = EventPublished.newBuilder(v1).setRevision(2).setTitle("Webinaire (titre revu)")
                .setUpdatedAt(Instant.now()).build();
        publish(v2);
        // A new date: a reschedule notice.
        EventPublished v3 = EventPublished.newBuilder(v2).setRevision(3)
                .setStartsAt(v1.getStartsAt().plus(Duration.ofDays(1)))
                .setEndsAt(v1.getEndsAt().plus(Duration.ofDays(1))).setUpdatedAt(Instant.now()).build();
        publish(v3);
        List<Map<String, Object>> rescheduled = awaitMessages(early, 3);
        // Told what changed, and what it was: the announcement's date, not the title revision's (nothing to say).
        assertThat(rescheduled.get(2).get("subject")).asString().startsWith("Nouvelle date : Webinaire (titre revu)");
        assertThat(rescheduled.get(2).get("text")).asString().contains("Auparavant : ");

        EventPublished v4 = EventPublished.newBuilder(v3).setRevision(4).setStatus(EventStatus.CANCELLED)
                .setUpdatedAt(Instant.now()).build();
        publish(v4);
        List<Map<String, Object>> cancelled = awaitMessages(early, 4);
        assertThat(cancelled.get(3).get("subject")).asString().startsWith("Annulé");
        assertThat(cancelled.get(3).get("attachments")).asString().contains("method=CANCEL");

        publish(v4);
        awaitAllConsumed();
        assertThat(messagesTo(early)).hasSize(4);

        // Back on, then cancelled again: each change is news to those announced, the second cancellation too.
        EventPublished v5 = EventPublished.newBuilder(v4).setRevision(5).setStatus(EventStatus.SCHEDULED)
                .setUpdatedAt(Instant.now()).build();
        publish(v5);
        Map<String, Object> backOn = awaitMessages(early, 5).get(4);
        assertThat(backOn.get("subject")).asString().startsWith("Finalement maintenu : ");
        assertThat(backOn.get("text")).asString().contains("aura bien lieu").doesNotContain("Auparavant");
        EventPublished v6 = EventPublished.newBuilder(v5).setRevision(6).setStatus(EventStatus.CANCELLED)
                .setUpdatedAt(Instant.now()).build();
        publish(v6);
        assertThat(awaitMessages(early, 6).get(5).get("subject")).asString().startsWith("Annulé");
        publish(v6);
        awaitAllConsumed();
        assertThat(messagesTo(early)).hasSize(6);
        assertThat(messagesTo(late)).hasSize(1); // its confirmation only

        HttpResponse<String> deliveries = admin("GET", "/api/admin/events/" + eventId + "/deliveries", null, null);
        assertThat(deliveries.statusCode()).isEqualTo(200);
        assertThat(deliveries.body()).contains("ANNOUNCEMENT").contains("RESCHEDULE").contains("CANCELLATION")
                .contains("\"status\":\"SENT\"");
    }

    @Test
    void anAnnouncedEventDeletedBeforeItTakesPlaceIsCancelledForThoseAnnouncedOnly() throws Exception {
        String category = unique("cat");
        String email = unique("dan") + "@example.org";
        subscribeAndConfirm(email, List.of(category), List.of());
        String eventId = UUID.randomUUID().toString();
        // Last changed an hour ago: its deletion's CANCEL must not carry that time.
        EventPublished published = event(eventId, "Retiré de l'agenda", List.of(category), List.of())
                .setUpdatedAt(Instant.now().minus(Duration.ofHours(1))).build();
        publish(published);
        assertThat(text(awaitMessages(email, 2).get(1))).contains(published.getSlug());
        // Same category, confirmed after the publication: never told about the event, so not about its end either.
        String unconcerned = unique("ulysse") + "@example.org";
        subscribeAndConfirm(unconcerned, List.of(category), List.of());

        // The tombstone the event-service publishes when an event is deleted, delivered twice.
        java.time.Instant deleted = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        publish(new ProducerRecord<>(Topics.EVENTS.name(), eventId, null));
        Map<String, Object> notice = awaitMessages(email, 3).get(2);
        assertThat(notice.get("subject")).asString().startsWith("Annulé").contains("Retiré de l'agenda");
        assertThat(notice.get("attachments")).asString().contains("method=CANCEL");
        // The CANCEL is stamped when it was made (RFC 5546's DTSTAMP), not with the event's last change.
        java.util.regex.Matcher stamp = java.util.regex.Pattern.compile("DTSTAMP:(\\d{8}T\\d{6}Z)")
                .matcher(String.valueOf(notice.get("attachments")));
        assertThat(stamp.find()).isTrue();
        assertThat(java.time.Instant.from(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssX")
                .parse(stamp.group(1)))).isAfterOrEqualTo(deleted);
        // Its page is gone with it: the notice links to the agenda, not to a page that answers 404.
        assertThat(text(notice)).contains("retiré de l'agenda").containsPattern("autres événements : \\S+/agenda/\\s")
                .doesNotContain(published.getSlug());
        assertThat(String.valueOf(notice.get("html"))).contains("Voir les autres événements")
                .doesNotContain(published.getSlug());
        publish(new ProducerRecord<>(Topics.EVENTS.name(), eventId, null));
        awaitAllConsumed();
        assertThat(messagesTo(email)).hasSize(3);
        assertThat(messagesTo(unconcerned)).hasSize(1);
    }

    @Test
    void aDeletedEventThatWasNeverAnnouncedOrAlreadyCancelledSendsNothingMore() throws Exception {
        String category = unique("cat");
        String email = unique("nils") + "@example.org";
        subscribeAndConfirm(email, List.of(category), List.of());
        EventPublished cancelled = event(UUID.randomUUID().toString(), "Annulé puis retiré", List.of(category),
                List.of()).build();
        publish(cancelled);
        awaitMessages(email, 2);
        publish(EventPublished.newBuilder(cancelled).setRevision(2).setStatus(EventStatus.CANCELLED)
                .setUpdatedAt(Instant.now()).build());
        awaitMessages(email, 3);

        publish(new ProducerRecord<>(Topics.EVENTS.name(), cancelled.getEventId(), null));
        publish(new ProducerRecord<>(Topics.EVENTS.name(), UUID.randomUUID().toString(), null));
        awaitAllConsumed();
        assertThat(messagesTo(email)).hasSize(3);
    }

    @Test
    void anAnnouncementSkippedWhileTheEventWasCancelledIsSentWhenItIsBackOn() throws Exception {
        String email = unique("kim") + "@example.org";
        EventPublished v1 = eventForASubscriber(email, "Annulé puis maintenu");
        String eventId = v1.getEventId();

        // The announcement's order waits in Kafka while the event is cancelled: it is skipped when it is consumed.
        cancelWhileItsAnnouncementWaits(v1, () -> { });
        awaitAnnouncementSkipped(eventId);
        assertThat(messagesTo(email)).hasSize(1);

        publish(EventPublished.newBuilder(v1).setRevision(3).setUpdatedAt(Instant.now()).build());
        assertThat(awaitMessages(email, 2).get(1).get("subject")).asString()
                .startsWith("Nouvel événement").contains("Annulé puis maintenu");
        awaitAllConsumed();
        assertThat(messagesTo(email)).hasSize(2);
    }

    @Test
    void pastEventsAreNeverAnnouncedAndHeaderInjectionStaysInTheSubject() throws Exception {
        String category = unique("cat");
        String email = unique("gil") + "@example.org";
        subscribeAndConfirm(email, List.of(category), List.of());

        Instant past = Instant.now().minus(Duration.ofDays(3));
        publish(event(UUID.randomUUID().toString(), "Passé", List.of(category), List.of())
                .setStartsAt(past).setEndsAt(past.plus(Duration.ofHours(1))).build());
        String victim = unique("victim") + "@example.org";
        publish(event(UUID.randomUUID().toString(), "Atelier\r\nBcc: " + victim + "\r\nX-Evil: 1", List.of(category),
                List.of()).build());
        List<Map<String, Object>> mails = awaitMessages(email, 2);
        awaitAllConsumed();
        assertThat(messagesTo(email)).hasSize(2);
        Map<String, Object> mail = mails.get(1);
        assertThat(mail.get("subject")).asString().contains("Atelier").contains("Bcc: " + victim);
        assertThat(header(mail, "X-Evil")).isNull();
        assertThat(header(mail, "Bcc")).isNull();
        assertThat(messagesTo(victim)).isEmpty();
    }

    @Test
    void aConfirmationLinkReplacedByANewerOneSaysSoBeforeTheClick() throws Exception {
        String email = unique("ines") + "@example.org";
        // A category of its own: confirmed with no choice, the address would want everything and receive the events
        // of the test classes that run after this one (AdminApiTest, AnnouncementOfAnEarlierSubscriptionTest count).
        List<String> category = List.of(unique("cat"));
        subscribe(email, category, List.of());
        String first = firstLink(text(awaitMessages(email, 1).get(0)), "/subscriptions/confirm");
        subscribe(email, category, List.of()); // the form sent again: a new link replaces the first
        String second = firstLink(text(awaitMessages(email, 2).get(1)), "/subscriptions/confirm");

        HttpResponse<String> replaced = get(pathOf(first));
        assertThat(replaced.statusCode()).isEqualTo(400);
        assertThat(replaced.body()).contains("plus récent").doesNotContain("<button");
        assertThat(get(pathOf(second)).body()).contains("<button");
        assertThat(post("/subscriptions/confirm", "application/x-www-form-urlencoded", "token=" + tokenOf(second))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void invalidAndTamperedLinksRevealNothing() throws Exception {
        assertThat(get("/subscriptions/confirm?token=nope").statusCode()).isEqualTo(400);
        String email = unique("hal") + "@example.org";
        subscribe(email, List.of(), List.of());
        String link = firstLink(text(awaitMessages(email, 1).get(0)), "/subscriptions/confirm");
        String token = tokenOf(link);
        String tampered = token.substring(0, 5) + (token.charAt(5) == 'A' ? 'B' : 'A') + token.substring(6);
        assertThat(post("/subscriptions/confirm", "application/x-www-form-urlencoded", "token=" + tampered)
                .statusCode()).isEqualTo(400);
        // A confirmation token is no unsubscribe token.
        assertThat(get("/subscriptions/unsubscribe?token=" + token).statusCode()).isEqualTo(400);
        assertThat(post("/api/subscriptions", "application/json", "{\"email\":\"not an address\"}").statusCode())
                .isEqualTo(400);
    }

    /**
     * The pages behind the links hold a token that acts on a subscription, and show the address: they send no Referer,
     * are stored by no cache, can be framed by no other site, and may run or load nothing.
     */
    @Test
    void tokenPagesLeakTheirTokenNowhere() throws Exception {
        String email = unique("csp") + "@example.org";
        subscribe(email, List.of(), List.of());
        String link = firstLink(text(awaitMessages(email, 1).get(0)), "/subscriptions/confirm");
        HttpResponse<String> page = get(pathOf(link));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v)
                .contains("default-src 'none'").contains("form-action 'self'").contains("frame-ancestors 'none'")
                .doesNotContain("script-src"));
    }

    @Test
    void requestsPerAddressAreRateLimited() throws Exception {
        String email = unique("ivy") + "@example.org";
        for (int i = 0; i < 3; i++) {
            assertThat(subscribe(email, List.of(), List.of()).statusCode()).isEqualTo(202);
        }
        HttpResponse<String> limited = subscribe(email, List.of(), List.of());
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
    }

    @Test
    void corsAllowsOnlyTheSite() throws Exception {
        java.net.http.HttpRequest preflight = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base() + "/api/subscriptions"))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://127.0.0.1:8083").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type").build();
        HttpResponse<String> ok = HTTP.send(preflight, HttpResponse.BodyHandlers.ofString());
        assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://127.0.0.1:8083");
        java.net.http.HttpRequest evil = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base() + "/api/subscriptions"))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST").build();
        assertThat(HTTP.send(evil, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    }

    private String manageToken(String email) throws Exception {
        String body = admin("GET", "/api/admin/subscribers?q=" + email, null, null).body();
        String id = body.replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
        return applicationContextLinks().manageToken(subscriberStore.findById(id).orElseThrow());
    }

    @org.springframework.beans.factory.annotation.Autowired
    private dev.agenda.notification.subscription.SubscriberStore subscriberStore;

    @org.springframework.beans.factory.annotation.Autowired
    private dev.agenda.notification.subscription.SubscriptionLinks links;

    private dev.agenda.notification.subscription.SubscriptionLinks applicationContextLinks() {
        return links;
    }
}
