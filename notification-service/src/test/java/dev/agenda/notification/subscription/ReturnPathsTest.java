package dev.agenda.notification.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.agenda.notification.NotificationProperties;

/** The VERP envelope senders: each names its subscription, and no other address names anyone. */
class ReturnPathsTest {

    private static final String KEY = "a-key-of-at-least-thirty-two-characters!";
    private final LinkTokens tokens = new LinkTokens(KEY);
    private final ReturnPaths paths = new ReturnPaths(tokens, properties("bounces@agenda.example"));
    private final Subscriber ana = subscriber(3);

    @Test
    void anAddressNamesItsSubscriptionBackAndFitsALocalPart() {
        String address = paths.of(ana);

        assertThat(address).matches("bounces\\+[a-z2-7]{48}@agenda\\.example");
        assertThat(address.substring(0, address.indexOf('@'))).hasSizeLessThanOrEqualTo(64);
        assertThat(paths.claimsOf(address)).hasValueSatisfying(c -> {
            assertThat(c.subscriberId()).isEqualTo(ana.id());
            assertThat(c.epoch()).isEqualTo(3);
        });
        // As a mail server may write it back: another case, angle brackets.
        assertThat(paths.claimsOf("<" + address.toUpperCase(Locale.ROOT) + ">")).map(LinkTokens.Claims::subscriberId)
                .hasValue(ana.id());
        // Another subscription of the same address, another token.
        assertThat(paths.of(subscriber(ana.id(), 4))).isNotEqualTo(address);
    }

    @Test
    void aForgedOrForeignAddressNamesNobody() {
        String address = paths.of(ana);
        String token = address.substring(address.indexOf('+') + 1, address.indexOf('@'));
        // Someone else's id in a token of one's own: the signature no longer holds.
        String otherId = tokens.bounceToken(UUID.randomUUID().toString(), 3);
        String forged = otherId.substring(0, 32) + token.substring(32);
        char last = token.charAt(token.length() - 1);
        String tampered = token.substring(0, token.length() - 1) + (last == 'a' ? 'b' : 'a');
        String otherKey = new LinkTokens("another-key-of-at-least-thirty-two-chars").bounceToken(ana.id(), 3);
        String manageToken = tokens.issue(LinkTokens.Purpose.MANAGE, ana.id(), null, 3);

        for (String candidate : List.of("bounces+" + forged + "@agenda.example",
                "bounces+" + tampered + "@agenda.example", "bounces+" + otherKey + "@agenda.example",
                "bounces+" + manageToken + "@agenda.example", "bounces+" + token + "@elsewhere.example",
                "other+" + token + "@agenda.example", "bounces@agenda.example", "bounces+@agenda.example",
                "bounces+" + token.substring(1) + "@agenda.example", "not an address")) {
            assertThat(paths.claimsOf(candidate)).as(candidate).isEmpty();
        }
        assertThat(tokens.verifyBounceToken(token)).isPresent();
    }

    @Test
    void withoutABounceAddressTheEnvelopeSenderIsTheFromAddress() {
        ReturnPaths none = new ReturnPaths(tokens, properties(""));

        assertThat(none.of(ana)).isNull();
        assertThat(none.claimsOf(paths.of(ana))).isEmpty();
        assertThatThrownBy(() -> new ReturnPaths(tokens, properties("bounces+x@agenda.example")))
                .isInstanceOf(IllegalStateException.class);
    }

    private static Subscriber subscriber(int epoch) {
        return subscriber(UUID.randomUUID().toString(), epoch);
    }

    private static Subscriber subscriber(String id, int epoch) {
        Instant now = Instant.now();
        return new Subscriber(id, "ana@example.org", SubscriberStatus.CONFIRMED,
                Preferences.of(List.of("ateliers"), List.of()), now, now, null, null, Subscriber.FORM, epoch);
    }

    private static NotificationProperties properties(String bounceAddress) {
        return new NotificationProperties(null, null, List.of(), KEY, null, null, null, null, null, null, null,
                new NotificationProperties.Bounces(bounceAddress, null));
    }
}
