package dev.agenda.notification.subscription;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tokens of the links in emails: {@code base64url(purpose, subscriber id, expiry, epoch) . base64url(HMAC-SHA256)}.
 * They carry a random subscriber id and nothing personal, cannot be forged without the key, and a token for one
 * purpose is useless for another. Confirmation tokens expire with the pending subscription; management tokens
 * (preferences, unsubscribe) do not, because RFC 8058 unsubscribe links must keep working in old emails — but they
 * carry the {@linkplain Subscriber#epoch() epoch} of the subscription they were issued for, so that a link from an
 * email of an earlier subscription of the same address does not act on a later one (the caller compares it with the
 * subscriber's).
 * <p>
 * Tokens issued before the epoch existed have no epoch bytes: they read as epoch 0, the epoch of every subscriber
 * stored before then, so the links of emails already sent keep working until their subscription ends.
 */
public final class LinkTokens {

    public enum Purpose { CONFIRM, MANAGE }

    private static final Logger log = LoggerFactory.getLogger(LinkTokens.class);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    /** purpose, subscriber id, expiry (0: none), epoch */
    private static final int PAYLOAD_LENGTH = 1 + 16 + 8 + 4;
    /** The same without the epoch: tokens issued before it existed, still in people's mailboxes. */
    private static final int LEGACY_PAYLOAD_LENGTH = 1 + 16 + 8;

    private final SecretKeySpec key;

    public LinkTokens(String configuredKey) {
        byte[] secret;
        if (configuredKey == null || configuredKey.isBlank()) {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            log.warn("agenda.notification.token-key is not set: generated a random key; links in emails sent before "
                    + "this start no longer work. Set AGENDA_TOKEN_KEY in any real deployment.");
        } else {
            secret = configuredKey.getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw new IllegalStateException("agenda.notification.token-key must be at least 32 characters");
            }
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** A token of epoch 0 (what confirmation tokens use: their expiry already binds them to one request). */
    public String issue(Purpose purpose, String subscriberId, Instant expiresAt) {
        return issue(purpose, subscriberId, expiresAt, 0);
    }

    /**
     * @param expiresAt null for a token that does not expire
     * @param epoch     the subscription's epoch (see {@link Subscriber#epoch()})
     */
    public String issue(Purpose purpose, String subscriberId, Instant expiresAt, int epoch) {
        UUID id = UUID.fromString(subscriberId);
        ByteBuffer payload = ByteBuffer.allocate(PAYLOAD_LENGTH)
                .put((byte) purpose.ordinal())
                .putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits())
                .putLong(expiresAt == null ? 0 : expiresAt.toEpochMilli())
                .putInt(epoch);
        byte[] bytes = payload.array();
        return B64.encodeToString(bytes) + "." + B64.encodeToString(mac(bytes));
    }

    public Optional<Claims> verify(Purpose purpose, String token, Instant now) {
        if (token == null || token.length() > 200) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = B64D.decode(token.substring(0, dot));
            signature = B64D.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if ((payload.length != PAYLOAD_LENGTH && payload.length != LEGACY_PAYLOAD_LENGTH)
                || !MessageDigest.isEqual(mac(payload), signature)) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        if (buffer.get() != purpose.ordinal()) {
            return Optional.empty();
        }
        String id = new UUID(buffer.getLong(), buffer.getLong()).toString();
        long expiry = buffer.getLong();
        Instant expiresAt = expiry == 0 ? null : Instant.ofEpochMilli(expiry);
        if (expiresAt != null && !now.isBefore(expiresAt)) {
            return Optional.empty();
        }
        int epoch = buffer.hasRemaining() ? buffer.getInt() : 0;
        return Optional.of(new Claims(id, expiresAt, epoch));
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param epoch the subscription's epoch the token was issued for; 0 for a token older than epochs */
    public record Claims(String subscriberId, Instant expiresAt, int epoch) {
    }
}
