package dev.agenda.notification.subscription;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.agenda.notification.NotificationProperties;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * Token buckets per address and per client IP, in memory: each instance limits on its own, which bounds abuse
 * (mail bombing an address, flooding the form) without shared state. When a map grows large, the buckets back to
 * full (nobody used them for a whole period) are dropped, which forgets nothing; if that is not enough, new keys are
 * refused until buckets refill: under a flood of distinct keys, limiting too much beats forgetting the limits of the
 * addresses being bombed.
 */
@Component
class SubscriptionRateLimiter {

    static final int MAX_KEYS = 100_000;

    private final Map<String, Bucket> byAddress = new ConcurrentHashMap<>();
    private final Map<String, Bucket> byClient = new ConcurrentHashMap<>();
    private final NotificationProperties.RateLimit limits;
    private final int maxKeys;

    @Autowired
    SubscriptionRateLimiter(NotificationProperties properties) {
        this(properties.rateLimit(), MAX_KEYS);
    }

    SubscriptionRateLimiter(NotificationProperties.RateLimit limits, int maxKeys) {
        this.limits = limits;
        this.maxKeys = maxKeys;
    }

    boolean allowClient(String ip) {
        return take(byClient, clientKey(ip), limits.perClient(), limits.perClientPeriod());
    }

    /**
     * The client an address stands for. An IPv6 host gets a whole /64 from its network and can use any address in it
     * (privacy extensions change it daily; a script can change it at every request), so an IPv6 client is its /64;
     * an IPv4-mapped address is its IPv4 address. Only literals are parsed: no name lookup can happen here.
     */
    static String clientKey(String ip) {
        if (ip == null || ip.indexOf(':') < 0) {
            return ip;
        }
        try {
            byte[] address = InetAddress.getByName(ip).getAddress();
            return address.length == 16 ? HexFormat.of().formatHex(address, 0, 8) + "/64"
                    : InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException notALiteral) {
            return ip;
        }
    }

    boolean allowAddress(String address) {
        return take(byAddress, mailboxKey(address), limits.perAddress(), limits.perAddressPeriod());
    }

    /**
     * The mailbox an address reaches: « ana+1@example.org », « ana+2@example.org »... are delivered to ana's mailbox by
     * every provider that supports subaddresses, so they share the limit that protects that mailbox from a flood of
     * confirmation emails. (They stay distinct subscriptions: someone who subscribes with a tag means it.)
     */
    static String mailboxKey(String address) {
        int at = address.lastIndexOf('@');
        int plus = address.indexOf('+');
        return plus > 0 && plus < at ? address.substring(0, plus) + address.substring(at) : address;
    }

    private boolean take(Map<String, Bucket> buckets, String key, int capacity, Duration period) {
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxKeys) {
                buckets.values().removeIf(b -> b.getAvailableTokens() >= capacity);
                if (buckets.size() >= maxKeys) {
                    return false;
                }
            }
            bucket = buckets.computeIfAbsent(key, k -> Bucket.builder()
                    .addLimit(Bandwidth.builder().capacity(capacity).refillIntervally(capacity, period).build())
                    .build());
        }
        return bucket.tryConsume(1);
    }
}
