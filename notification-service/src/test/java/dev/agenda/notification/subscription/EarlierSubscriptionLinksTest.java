package dev.agenda.notification.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import dev.agenda.notification.IntegrationTestBase;

/**
 * The links of an email belong to the subscription it was sent for: once its address has unsubscribed and subscribed
 * again, an old email's one-click or preferences link is an invalid link, while the new emails' links work.
 */
class EarlierSubscriptionLinksTest extends IntegrationTestBase {

    private static final String FORM = "application/x-www-form-urlencoded";
    /** The key IntegrationTestBase configures, to sign a token as the service did before epochs existed. */
    private static final String KEY = "test-key-0123456789-0123456789-0123456789";

    @Autowired
    private SubscriberStore subscribers;

    @Autowired
    private SubscriptionLinks links;

    @Test
    void anOldEmailsLinksDoNotActOnALaterSubscriptionOfTheSameAddress() throws Exception {
        String email = unique("again") + "@example.org";
        String category = unique("cat");
        subscribeAndConfirm(email, List.of(category), List.of());
        publish(event(UUID.randomUUID().toString(), "Premier atelier", List.of(category), List.of()).build());
        Map<String, Object> oldNotice = awaitMessages(email, 2).get(1);
        String oldUnsubscribe = pathOf(oneClickUrl(oldNotice));
        String oldPreferences = pathOf(firstLink(text(oldNotice), "/subscriptions/preferences"));
        assertThat(post(oldUnsubscribe, FORM, "List-Unsubscribe=One-Click").statusCode()).isEqualTo(200);
        assertThat(status(email)).isEqualTo(SubscriberStatus.UNSUBSCRIBED);

        subscribeAgainAndConfirm(email, List.of(category));
        assertThat(status(email)).isEqualTo(SubscriberStatus.CONFIRMED);

        // The old email's links now answer exactly as a forged one does.
        String invalidPage = get("/subscriptions/unsubscribe?token=" + forged()).body();
        HttpResponse<String> page = get(oldUnsubscribe);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).isEqualTo(invalidPage);
        HttpResponse<String> oneClick = post(oldUnsubscribe, FORM, "List-Unsubscribe=One-Click");
        assertThat(oneClick.statusCode()).isEqualTo(400);
        assertThat(oneClick.body()).isEqualTo(invalidPage);
        HttpResponse<String> preferences = get(oldPreferences);
        assertThat(preferences.statusCode()).isEqualTo(400);
        assertThat(preferences.body()).isEqualTo(invalidPage).doesNotContain(email);
        assertThat(post(oldPreferences, FORM, "mode=chosen&tags=hijacked").statusCode()).isEqualTo(400);
        Subscriber kept = subscribers.findByEmail(email).orElseThrow();
        assertThat(kept.status()).isEqualTo(SubscriberStatus.CONFIRMED);
        assertThat(kept.preferences().tags()).isEmpty();
        assertThat(kept.preferences().categories()).containsExactly(category);

        // An email of the new subscription: its link works.
        publish(event(UUID.randomUUID().toString(), "Second atelier", List.of(category), List.of()).build());
        Map<String, Object> newNotice = awaitMessages(email, 4).get(3);
        assertThat(newNotice.get("subject")).asString().contains("Second atelier");
        String newUnsubscribe = pathOf(oneClickUrl(newNotice));
        assertThat(newUnsubscribe).isNotEqualTo(oldUnsubscribe);
        assertThat(post(newUnsubscribe, FORM, "List-Unsubscribe=One-Click").statusCode()).isEqualTo(200);
        assertThat(status(email)).isEqualTo(SubscriberStatus.UNSUBSCRIBED);
    }

    /**
     * A record and a link from before epochs existed: the link works for the subscription it was sent for, and stops
     * at the next one.
     */
    @Test
    void aSubscriberStoredBeforeEpochsKeepsItsLinksUntilItSubscribesAgain() throws Exception {
        String email = unique("legacy") + "@example.org";
        String category = unique("cat");
        Instant at = Instant.now();
        Subscriber stored = new Subscriber(UUID.randomUUID().toString(), email, SubscriberStatus.CONFIRMED,
                Preferences.of(List.of(category), List.of()), at, at, null, null, Subscriber.FORM, 0);
        subscribers.insert(stored);
        mongo.updateFirst(Query.query(Criteria.where("_id").is(stored.id())), new Update().unset("epoch"),
                SubscriberStore.COLLECTION);
        assertThat(mongo.getCollection(SubscriberStore.COLLECTION).find(new org.bson.Document("_id", stored.id()))
                .first()).doesNotContainKey("epoch");
        String legacy = "/subscriptions/unsubscribe?token=" + legacyManageToken(stored.id());

        assertThat(get(legacy.replace("unsubscribe", "preferences")).body()).contains(email);
        assertThat(get(legacy).statusCode()).isEqualTo(200);
        assertThat(post(legacy, FORM, "List-Unsubscribe=One-Click").statusCode()).isEqualTo(200);
        assertThat(status(email)).isEqualTo(SubscriberStatus.UNSUBSCRIBED);

        subscribeAgainAndConfirm(email, List.of(category));
        assertThat(post(legacy, FORM, "List-Unsubscribe=One-Click").statusCode()).isEqualTo(400);
        assertThat(status(email)).isEqualTo(SubscriberStatus.CONFIRMED);
    }

    /** Erased, then imported again as an already-consented address: a new subscription, which old links cannot touch. */
    @Test
    void theLinksOfAnErasedSubscriberDoNotActOnTheAddressImportedAgain() throws Exception {
        String email = unique("erased") + "@example.org";
        subscribeAndConfirm(email, List.of(unique("cat")), List.of());
        Subscriber erased = subscribers.findByEmail(email).orElseThrow();
        String old = "/subscriptions/unsubscribe?token=" + links.manageToken(erased);
        assertThat(get(old).statusCode()).isEqualTo(200);
        assertThat(admin("DELETE", "/api/admin/subscribers/" + erased.id(), null, null).statusCode()).isEqualTo(204);
        // With a category of its own: imported without a choice, the address would want everything and receive the
        // events of the test classes that run after this one.
        assertThat(admin("POST", "/api/admin/subscribers/import", "text/csv",
                "email,categories\n" + email + "," + unique("cat") + "\n").body()).contains("CREATED");

        assertThat(get(old).statusCode()).isEqualTo(400);
        assertThat(post(old, FORM, "List-Unsubscribe=One-Click").statusCode()).isEqualTo(400);
        Subscriber imported = subscribers.findByEmail(email).orElseThrow();
        assertThat(imported.status()).isEqualTo(SubscriberStatus.CONFIRMED);
        assertThat(get("/subscriptions/unsubscribe?token=" + links.manageToken(imported)).statusCode()).isEqualTo(200);
    }

    private SubscriberStatus status(String email) {
        return subscribers.findByEmail(email).orElseThrow().status();
    }

    private static String oneClickUrl(Map<String, Object> notice) {
        return header(notice, "List-Unsubscribe").replaceAll("(?s)^<([^>]+)>.*$", "$1");
    }

    /** A well-formed token signed with another key. */
    private static String forged() {
        return new LinkTokens("another-key-of-at-least-thirty-two-chars")
                .issue(LinkTokens.Purpose.MANAGE, UUID.randomUUID().toString(), null, 1);
    }

    /** As LinkTokens signed management tokens before epochs: purpose, id, no expiry. */
    private static String legacyManageToken(String subscriberId) throws Exception {
        UUID id = UUID.fromString(subscriberId);
        byte[] payload = ByteBuffer.allocate(1 + 16 + 8).put((byte) LinkTokens.Purpose.MANAGE.ordinal())
                .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).putLong(0).array();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(payload) + "." + b64.encodeToString(mac.doFinal(payload));
    }
}
