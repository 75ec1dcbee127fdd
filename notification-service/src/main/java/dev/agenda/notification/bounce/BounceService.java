package dev.agenda.notification.bounce;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.agenda.notification.mail.MailSendException;
import dev.agenda.notification.subscription.LinkTokens;
import dev.agenda.notification.subscription.SubscriberStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What is done about a bounce: a hard one suppresses the subscription it came back for (BOUNCED, with its reason),
 * anything else is only counted. The same whether the bounce arrived as a report in the bounce mailbox or as the SMTP
 * server's refusal of a notice: the same fact, learnt later or earlier. Idempotent: a bounce handled twice, or a late
 * bounce of a subscription ended or renewed since, suppresses nobody more.
 */
@Service
public class BounceService {

    private static final Logger log = LoggerFactory.getLogger(BounceService.class);
    private static final int REASON_LENGTH = 300;

    /** Where the bounce was learnt, as the metrics tag it. */
    public enum Source { DSN, SMTP }

    private final SubscriberStore subscribers;
    private final Clock clock;
    private final Map<Source, Map<Bounce.Kind, Counter>> counters = new EnumMap<>(Source.class);

    BounceService(SubscriberStore subscribers, Clock clock, MeterRegistry meters) {
        this.subscribers = subscribers;
        this.clock = clock;
        for (Source source : Source.values()) {
            Map<Bounce.Kind, Counter> bySource = new EnumMap<>(Bounce.Kind.class);
            for (Bounce.Kind kind : Bounce.Kind.values()) {
                bySource.put(kind, Counter.builder("agenda.bounces").tag("source", source.name().toLowerCase(java.util.Locale.ROOT))
                        .tag("outcome", kind.tag())
                        .description("Bounces of emails to subscribers, by where they were learnt and what they said "
                                + "(only hard ones suppress the address)")
                        .register(meters));
            }
            counters.put(source, bySource);
        }
    }

    /**
     * @param subscription the subscriber and epoch the bounce names (from its signed VERP address, or the delivery)
     * @return whether this bounce suppressed the subscription
     */
    public boolean bounced(LinkTokens.Claims subscription, Bounce bounce, Source source) {
        counters.get(source).get(bounce.kind()).increment();
        if (bounce.kind() != Bounce.Kind.HARD) {
            log.debug("bounce ({}) for subscriber {}: {} {}, nothing suppressed", source, subscription.subscriberId(),
                    bounce.kind(), bounce.status());
            return false;
        }
        boolean suppressed = subscribers.suppress(subscription.subscriberId(), subscription.epoch(), clock.instant(),
                reason(bounce, source));
        if (suppressed) {
            // The id, never the address: logs are read by more people than the admin API.
            log.info("subscriber {} suppressed: hard bounce {} ({})", subscription.subscriberId(), bounce.status(),
                    source);
        } else {
            log.info("hard bounce {} ({}) for subscriber {}: already suppressed, unsubscribed, erased or subscribed "
                    + "again since; nothing changed", bounce.status(), source, subscription.subscriberId());
        }
        return suppressed;
    }

    /**
     * The SMTP server refused a notice for good: a refusal of the recipient with an address status (5.1.1 user
     * unknown...) is a hard bounce learnt at once; any other (5.7.x policy, no enhanced code) is not.
     */
    public boolean refused(String subscriberId, int epoch, MailSendException failure) {
        if (!failure.isPermanent() || failure.recipientStatus() == null) {
            return false;
        }
        Bounce bounce = new Bounce(Bounce.ofFailure(failure.recipientStatus()), failure.recipientStatus(),
                failure.getMessage());
        return bounced(new LinkTokens.Claims(subscriberId, null, epoch), bounce, Source.SMTP);
    }

    /** What the admin reads: the status, where it was learnt, the server's words, addresses masked. */
    private static String reason(Bounce bounce, Source source) {
        String words = bounce.detail() == null ? "" : ": " + MailSendException.withoutAddresses(bounce.detail())
                .replaceAll("[\\p{Cntrl}]+", " ").strip();
        String reason = bounce.status() + (source == Source.DSN ? " (bounce report)" : " (SMTP refusal)") + words;
        return reason.length() <= REASON_LENGTH ? reason : reason.substring(0, REASON_LENGTH) + "…";
    }
}
