package dev.agenda.notification.subscription;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import dev.agenda.notification.NotificationProperties;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * Token buckets per address and per client IP, in memory: each instance limits on its own, which bounds abuse
 * (mail bombing an address, flooding the form) without shared state. The maps are dropped wholesale when they grow
 * large, which at worst grants a few extra requests.
 */
@Component
class SubscriptionRateLimiter {

    private static final int MAX_KEYS = 100_000;

    private final Map<String, Bucket> byAddress = new ConcurrentHashMap<>();
    private final Map<String, Bucket> byClient = new ConcurrentHashMap<>();
    private final NotificationProperties.RateLimit limits;

    SubscriptionRateLimiter(NotificationProperties properties) {
        this.limits = properties.rateLimit();
    }

    boolean allowClient(String ip) {
        return take(byClient, ip, limits.perClient(), limits.perClientPeriod());
    }

    boolean allowAddress(String address) {
        return take(byAddress, address, limits.perAddress(), limits.perAddressPeriod());
    }

    private static boolean take(Map<String, Bucket> buckets, String key, int capacity, Duration period) {
        if (buckets.size() > MAX_KEYS) {
            buckets.clear();
        }
        return buckets.computeIfAbsent(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillIntervally(capacity, period).build())
                .build()).tryConsume(1);
    }
}
