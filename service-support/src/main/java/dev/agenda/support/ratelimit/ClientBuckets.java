package dev.agenda.support.ratelimit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * Token buckets by key (a client, a mailbox), in memory: each instance limits on its own, which bounds abuse without
 * shared state. When the table grows large, the buckets back to full (nobody used them for a whole period) are
 * dropped, which forgets nothing; if that is not enough, new keys are refused until buckets refill: under a flood of
 * distinct keys, limiting too much beats forgetting the limits of the keys being abused. Nothing is ever removed
 * from inside the map's own compute functions, which {@link ConcurrentHashMap} forbids.
 */
public final class ClientBuckets {

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final int capacity;
    private final Duration period;
    private final int maxKeys;

    /** {@code capacity} tokens per key, all given back at the end of each {@code period}. */
    public ClientBuckets(int capacity, Duration period, int maxKeys) {
        this.capacity = capacity;
        this.period = period;
        this.maxKeys = maxKeys;
    }

    /** The bucket of this key, or null when the table is full of buckets in use (treat it as refused). */
    public Bucket bucket(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            return bucket;
        }
        if (buckets.size() >= maxKeys) {
            buckets.values().removeIf(b -> b.getAvailableTokens() >= capacity);
            if (buckets.size() >= maxKeys) {
                return null;
            }
        }
        return buckets.computeIfAbsent(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillIntervally(capacity, period).build()).build());
    }

    /** Takes one token from the key's bucket; false if there is none left (or no room for the key). */
    public boolean tryTake(String key) {
        Bucket bucket = bucket(key);
        return bucket != null && bucket.tryConsume(1);
    }

    /** Gives back a token taken from the key's bucket (up to its capacity), for a request refused on other grounds. */
    public void giveBack(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            bucket.addTokens(1);
        }
    }

    /** How many keys the table holds. */
    public int size() {
        return buckets.size();
    }

    /**
     * Whole seconds until the key's bucket gives a token again (at least 1), for a {@code Retry-After}; a whole period
     * when there is no room for the key.
     */
    public long secondsToWait(String key) {
        // Only looked up: a key that is not in the table (refused before its own bucket was asked) gets no room in it.
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            return buckets.size() >= maxKeys ? Math.max(1, period.toSeconds()) : 1;
        }
        long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    /**
     * How many clients' allowances the network of an IPv6 client ({@link #networkKey}) has in all: a site (an office,
     * a campus) has many people behind one /48, while a script given one can take a new /64 at every request.
     */
    public static final int CLIENTS_PER_NETWORK = 16;

    /**
     * The network an IPv6 client belongs to: its /48, what a provider gives a site (a home gets a /56 or a /48 from
     * it, a script a /64 at every request); null for IPv4 (NAT puts whole networks behind one address already).
     */
    public static String networkKey(String ip) {
        byte[] address = literal(ip);
        return address != null && address.length == 16 ? HexFormat.of().formatHex(address, 0, 6) + "/48" : null;
    }

    /**
     * The client an address stands for. An IPv6 host gets a whole /64 from its network and can use any address in it
     * (privacy extensions change it daily; a script can change it at every request), so an IPv6 client is its /64;
     * an IPv4-mapped address is its IPv4 address. Only literals are parsed: no name lookup can happen here.
     */
    public static String clientKey(String ip) {
        byte[] address = literal(ip);
        if (address == null) {
            return ip;
        }
        if (address.length == 16) {
            return HexFormat.of().formatHex(address, 0, 8) + "/64";
        }
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException cannotHappen) {
            return ip; // four bytes are always an address
        }
    }

    /**
     * The bytes of an IPv6 literal (16), or of the IPv4 address an IPv4-mapped one stands for (4); null for IPv4 text
     * or anything else. Only literals are parsed: a text with a colon is never a host name to look up.
     */
    private static byte[] literal(String ip) {
        if (ip == null || ip.indexOf(':') < 0) {
            return null;
        }
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException notALiteral) {
            return null;
        }
    }
}
