package dev.agenda.notification.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

/** The binding of management tokens to one subscription of an address (its epoch). */
class LinkTokensTest {

    private static final String KEY = "a-key-of-at-least-thirty-two-characters!";
    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
    private final LinkTokens tokens = new LinkTokens(KEY);
    private final String id = UUID.randomUUID().toString();

    @Test
    void aManageTokenCarriesTheEpochItWasIssuedFor() {
        String first = tokens.issue(LinkTokens.Purpose.MANAGE, id, null, 1);
        String second = tokens.issue(LinkTokens.Purpose.MANAGE, id, null, 2);

        assertThat(tokens.verify(LinkTokens.Purpose.MANAGE, first, NOW)).map(LinkTokens.Claims::epoch).contains(1);
        assertThat(tokens.verify(LinkTokens.Purpose.MANAGE, second, NOW)).map(LinkTokens.Claims::epoch).contains(2);
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void theEpochCannotBeChangedWithoutTheKey() {
        String token = tokens.issue(LinkTokens.Purpose.MANAGE, id, null, 1);
        byte[] payload = Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.')));
        payload[payload.length - 1] = 2; // epoch 1 → 2, the signature kept
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(payload)
                + token.substring(token.indexOf('.'));

        assertThat(tokens.verify(LinkTokens.Purpose.MANAGE, forged, NOW)).isEmpty();
    }

    /**
     * The last character of a signature (32 bytes, 43 characters) carries two unused bits, which a base64 decoder
     * ignores: a token altered there, or padded, is another spelling of the same bytes, and refused as such.
     */
    @Test
    void onlyTheSpellingIssuedIsAccepted() {
        for (int epoch = 0; epoch < 64; epoch++) {
            String token = tokens.issue(LinkTokens.Purpose.MANAGE, id, null, epoch);
            char last = token.charAt(token.length() - 1);
            String alias = token.substring(0, token.length() - 1) + ALPHABET.charAt(ALPHABET.indexOf(last) ^ 1);
            byte[] aliasBytes = Base64.getUrlDecoder().decode(alias.substring(alias.indexOf('.') + 1));
            byte[] tokenBytes = Base64.getUrlDecoder().decode(token.substring(token.indexOf('.') + 1));

            assertThat(aliasBytes).isEqualTo(tokenBytes);
            assertThat(tokens.verify(LinkTokens.Purpose.MANAGE, token, NOW)).isPresent();
            assertThat(tokens.verify(LinkTokens.Purpose.MANAGE, alias, NOW)).isEmpty();
            assertThat(tokens.verify(LinkTokens.Purpose.MANAGE, token + "=", NOW)).isEmpty();
        }
    }

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** Links in emails sent before epochs existed: they must keep working for the subscribers stored then. */
    @Test
    void aTokenIssuedBeforeEpochsExistedReadsAsEpochZero() throws Exception {
        UUID uuid = UUID.fromString(id);
        byte[] legacy = ByteBuffer.allocate(1 + 16 + 8).put((byte) LinkTokens.Purpose.MANAGE.ordinal())
                .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).putLong(0).array();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString(legacy) + "." + b64.encodeToString(mac.doFinal(legacy));

        assertThat(tokens.verify(LinkTokens.Purpose.MANAGE, token, NOW.plus(Duration.ofDays(365))))
                .hasValueSatisfying(claims -> {
                    assertThat(claims.subscriberId()).isEqualTo(id);
                    assertThat(claims.epoch()).isZero();
                });
        assertThat(tokens.verify(LinkTokens.Purpose.MANAGE, token, NOW)).map(LinkTokens.Claims::expiresAt).isEmpty();
    }
}
