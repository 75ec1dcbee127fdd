package dev.agenda.notification.subscription;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.agenda.notification.NotificationProperties;
import dev.agenda.support.ratelimit.ClientBuckets;

/**
 * Token buckets per address and per client IP ({@link ClientBuckets}, in memory, per instance): they bound abuse
 * (mail bombing an address, flooding the form) without shared state.
 */
@Component
class SubscriptionRateLimiter {

    static final int MAX_KEYS = 100_000;

    private final ClientBuckets byAddress;
    private final ClientBuckets byClient;
    /** IPv6 only: a /64 per request costs a script nothing, its /48 does. */
    private final ClientBuckets byNetwork;

    @Autowired
    SubscriptionRateLimiter(NotificationProperties properties) {
        this(properties.rateLimit(), MAX_KEYS);
    }

    SubscriptionRateLimiter(NotificationProperties.RateLimit limits, int maxKeys) {
        this.byAddress = new ClientBuckets(limits.perAddress(), limits.perAddressPeriod(), maxKeys);
        this.byClient = new ClientBuckets(limits.perClient(), limits.perClientPeriod(), maxKeys);
        this.byNetwork = new ClientBuckets(limits.perClient() * ClientBuckets.CLIENTS_PER_NETWORK,
                limits.perClientPeriod(), maxKeys);
    }

    /**
     * The network's allowance first: a request it refuses makes no room for one more /64 in the table. One the
     * client's own limit refuses gives the network's token back: a client's retry loop is its own business, not its
     * neighbours'.
     */
    boolean allowClient(String ip) {
        String network = ClientBuckets.networkKey(ip);
        if (network != null && !byNetwork.tryTake(network)) {
            return false;
        }
        if (byClient.tryTake(ClientBuckets.clientKey(ip))) {
            return true;
        }
        if (network != null) {
            byNetwork.giveBack(network);
        }
        return false;
    }

    boolean allowAddress(String address) {
        return byAddress.tryTake(mailboxKey(address));
    }

    /** Seconds until this client may send a request again (the 429's Retry-After). */
    long clientRetryAfter(String ip) {
        String network = ClientBuckets.networkKey(ip);
        long client = byClient.secondsToWait(ClientBuckets.clientKey(ip));
        return network == null ? client : Math.max(client, byNetwork.secondsToWait(network));
    }

    /** How many clients the table holds (for tests). */
    int clientKeys() {
        return byClient.size();
    }

    /** Seconds until a request for this address is taken again. */
    long addressRetryAfter(String address) {
        return byAddress.secondsToWait(mailboxKey(address));
    }

    /**
     * The mailbox an address reaches: « ana+1@example.org », « ana+2@example.org »... are delivered to ana's mailbox by
     * every provider that supports subaddresses, so they share the limit that protects that mailbox from a flood of
     * confirmation emails; so do « a.na@gmail.com », « an.a@googlemail.com »..., which Gmail delivers to one mailbox
     * whatever the dots. (They stay distinct subscriptions: someone who subscribes with a tag means it.)
     */
    static String mailboxKey(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return address;
        }
        String local = address.substring(0, at);
        int plus = local.indexOf('+');
        if (plus > 0) {
            local = local.substring(0, plus);
        }
        String domain = address.substring(at + 1);
        if (domain.equals("gmail.com") || domain.equals("googlemail.com")) {
            String undotted = local.replace(".", "");
            return (undotted.isEmpty() ? local : undotted) + "@gmail.com";
        }
        return local + "@" + domain;
    }
}
