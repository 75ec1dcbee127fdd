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
 * <p>
 * The same key signs the tokens of the VERP envelope senders ({@link #bounceToken}), in a shorter form that fits the
 * local part of an address: a bounce report names its subscriber by the address it came back to.
 */
public final class LinkTokens {

    /** BOUNCE: the token of a VERP envelope sender (see {@link #bounceToken}); never part of a link. */
    public enum Purpose { CONFIRM, MANAGE, BOUNCE }

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
        byte[] payload = decode(token.substring(0, dot));
        byte[] signature = decode(token.substring(dot + 1));
        if (payload == null || signature == null
                || (payload.length != PAYLOAD_LENGTH && payload.length != LEGACY_PAYLOAD_LENGTH)
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

    /**
     * The bytes of one part of a token, or null unless it is written exactly as {@link #issue} writes it: the decoder
     * ignores the unused low bits of the last character (and accepts padding), so without this check every token
     * would have several spellings, and a token altered in its last character could still be valid.
     */
    private static byte[] decode(String part) {
        try {
            byte[] bytes = B64D.decode(part);
            return B64.encodeToString(bytes).equals(part) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** subscriber id, epoch */
    private static final int BOUNCE_PAYLOAD_LENGTH = 16 + 4;
    /**
     * Bytes of the HMAC kept in a bounce token: 80 bits, out of reach of guessing through a mailbox, and the whole
     * token (48 base32 characters) fits a local part (64 at most, RFC 5321) with the base address's before it.
     */
    private static final int BOUNCE_MAC_LENGTH = 10;
    private static final org.apache.commons.codec.binary.Base32 B32 = new org.apache.commons.codec.binary.Base32();

    /**
     * The token of a VERP envelope sender ({@code bounces+<token>@domain}): which subscription an email was sent
     * for, signed, so that a bounce report names who it is about and nobody can forge one about someone else. In
     * lowercase base32, since a mail server may change the case of a local part (and the token must hold no "+",
     * "/" nor "=" either). It does not expire: a bounce can come back days later.
     */
    public String bounceToken(String subscriberId, int epoch) {
        UUID id = UUID.fromString(subscriberId);
        byte[] payload = ByteBuffer.allocate(BOUNCE_PAYLOAD_LENGTH).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).putInt(epoch).array();
        byte[] token = ByteBuffer.allocate(BOUNCE_PAYLOAD_LENGTH + BOUNCE_MAC_LENGTH).put(payload)
                .put(bounceMac(payload), 0, BOUNCE_MAC_LENGTH).array();
        return B32.encodeAsString(token).replace("=", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** The subscription a {@link #bounceToken} names, if its signature holds; any case accepted. */
    public Optional<Claims> verifyBounceToken(String token) {
        int length = (BOUNCE_PAYLOAD_LENGTH + BOUNCE_MAC_LENGTH) * 8 / 5;
        if (token == null || token.length() != length || !token.matches("[A-Za-z2-7]+")) {
            return Optional.empty();
        }
        byte[] bytes = B32.decode(token.toUpperCase(java.util.Locale.ROOT));
        if (bytes.length != BOUNCE_PAYLOAD_LENGTH + BOUNCE_MAC_LENGTH) {
            return Optional.empty();
        }
        byte[] payload = java.util.Arrays.copyOf(bytes, BOUNCE_PAYLOAD_LENGTH);
        byte[] signature = java.util.Arrays.copyOfRange(bytes, BOUNCE_PAYLOAD_LENGTH, bytes.length);
        if (!MessageDigest.isEqual(java.util.Arrays.copyOf(bounceMac(payload), BOUNCE_MAC_LENGTH), signature)) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        return Optional.of(new Claims(new UUID(buffer.getLong(), buffer.getLong()).toString(), null, buffer.getInt()));
    }

    /** The HMAC of a bounce token's payload, its purpose first: no link token's MAC can serve as one. */
    private byte[] bounceMac(byte[] payload) {
        return mac(ByteBuffer.allocate(1 + payload.length).put((byte) Purpose.BOUNCE.ordinal()).put(payload).array());
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
