package dev.agenda.notification.subscription;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.mail.MailComposer;
import dev.agenda.notification.mail.MailSendException;
import dev.agenda.notification.mail.OutgoingMail;
import dev.agenda.notification.mail.SmtpSender;
import dev.agenda.support.mongo.DatabaseOutages;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/** Double opt-in subscriptions, preferences and unsubscription. */
@Service
public class SubscriptionService {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionService.class);

    public enum ConfirmOutcome { CONFIRMED, ALREADY_CONFIRMED, INVALID }

    public enum ConfirmLink { TO_CONFIRM, ALREADY_CONFIRMED, INVALID }

    private final SubscriberStore store;
    private final LinkTokens tokens;
    private final SubscriptionLinks links;
    private final ReturnPaths returnPaths;
    private final MailComposer composer;
    private final SmtpSender sender;
    private final NotificationProperties properties;
    private final Clock clock;
    private final TaskScheduler scheduler;
    // The answer to POST /api/subscriptions must not wait for (nor reveal anything through) the database or the SMTP
    // exchange. Bounded: a flood fills the queue, not the heap.
    private final ThreadPoolExecutor mailer = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(10_000), daemon("confirmation-mailer"));
    /**
     * One address's requests are processed one at a time: the form sent twice in a row (a double click) otherwise had
     * its two requests processed at once by the two mailer threads, and the emails left in whichever order their SMTP
     * exchanges ended, so that the newest one in the inbox could hold the link the other had replaced. Under the lock
     * (on a mailer thread, where {@link #accept} runs it) the record is written and its email sent before the next
     * request for the address is decided: the emails leave in the order of the writes, the last one holding the link
     * that works. Striped: two addresses seldom share a lock.
     */
    private final Object[] addressLocks = IntStream.range(0, 64).mapToObj(i -> new Object()).toArray();
    /** Tries waiting for their retry; bounded like the queue, so that a long outage under a flood fills no heap. */
    private static final int MAX_WAITING = 10_000;
    private final AtomicInteger waiting = new AtomicInteger();

    SubscriptionService(SubscriberStore store, LinkTokens tokens, SubscriptionLinks links, ReturnPaths returnPaths,
            MailComposer composer, SmtpSender sender, NotificationProperties properties, Clock clock,
            TaskScheduler scheduler) {
        this.store = store;
        this.tokens = tokens;
        this.links = links;
        this.returnPaths = returnPaths;
        this.composer = composer;
        this.sender = sender;
        this.properties = properties;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    @PostConstruct
    void schedulePurge() {
        scheduler.scheduleWithFixedDelay(this::purgeExpired, properties.purgeInterval());
    }

    @PreDestroy
    void stop() {
        mailer.shutdown();
    }

    /**
     * {@link #subscribe}, after the caller has had its answer: the time to answer is the same whether the address is
     * new, pending or confirmed (a write or not, an email or another), so it tells nothing either.
     *
     * @throws InvalidValueException if the address is not a valid email address
     */
    public void accept(String rawEmail, Collection<String> categories, Collection<String> tags) {
        EmailAddresses.normalise(rawEmail)
                .orElseThrow(() -> new InvalidValueException("email", "not a valid email address"));
        retrying("subscription request", () -> {
            try {
                subscribe(rawEmail, categories, tags);
            } catch (RuntimeException e) {
                if (!DatabaseOutages.isUnavailable(e)) {
                    throw e; // would fail the same way at every try
                }
                // The database is down or unreachable: the request waits for it, as the caller was told it would.
                throw new TryAgain(e.toString());
            }
        });
    }

    /**
     * Whatever the address's state, the caller learns nothing: a new or pending address gets a (new) confirmation
     * link, an unsubscribed or bounced one starts over with double opt-in, a confirmed one gets a reminder of its preferences
     * link and its preferences are left alone (only the owner changes them, from that link).
     *
     * @throws InvalidValueException if the address is not a valid email address
     */
    public void subscribe(String rawEmail, Collection<String> categories, Collection<String> tags) {
        String email = EmailAddresses.normalise(rawEmail)
                .orElseThrow(() -> new InvalidValueException("email", "not a valid email address"));
        Preferences preferences = Preferences.of(categories, tags);
        synchronized (addressLocks[Math.floorMod(email.hashCode(), addressLocks.length)]) {
            Instant now = clock.instant();
            Instant expiresAt = now.plus(properties.confirmationExpiry());
            // Decided on what was read; a conditional write, and the decision taken again if the record changed
            // meanwhile (a confirmation click a few milliseconds earlier must not be turned back into a pending
            // request).
            for (int attempt = 1; attempt <= 3; attempt++) {
                if (subscribeOnce(email, preferences, now, expiresAt)) {
                    return;
                }
            }
        }
        log.warn("subscription request for an address that kept changing; left as it is");
    }

    /** @return false if the record changed between its read and the write: nothing was done, decide again */
    private boolean subscribeOnce(String email, Preferences preferences, Instant now, Instant expiresAt) {
        Optional<Subscriber> existing = store.findByEmail(email);
        if (existing.isEmpty()) {
            Subscriber fresh = new Subscriber(UUID.randomUUID().toString(), email, SubscriberStatus.PENDING,
                    preferences, now, null, expiresAt, null, Subscriber.FORM, 0);
            try {
                store.insert(fresh);
                sendConfirmation(fresh);
                return true;
            } catch (DuplicateKeyException raced) {
                return false;
            }
        }
        Subscriber subscriber = existing.get();
        if (subscriber.isConfirmed()) {
            mail(() -> composer.alreadySubscribed(email, links.preferences(subscriber), messageId()), subscriber);
            return true;
        }
        // An address that unsubscribed keeps that record while its new request waits for confirmation: if it expires,
        // the address is unsubscribed again (see SubscriberStore#purgeExpired), not forgotten — anyone can type an
        // address into the form, and a forgotten opt-out would let an import subscribe it again.
        // The same for an address suppressed by a bounce: BOUNCED again if the request expires; its confirmation (the
        // proof that the mailbox works) is what lifts the suppression.
        Subscriber renewed = new Subscriber(subscriber.id(), email, SubscriberStatus.PENDING, preferences,
                subscriber.createdAt(), null, expiresAt, subscriber.unsubscribedAt(), Subscriber.FORM,
                subscriber.epoch(), subscriber.bouncedAt(), subscriber.bounceReason());
        if (!store.replaceIfUnchanged(subscriber, renewed)) {
            return false;
        }
        sendConfirmation(renewed);
        return true;
    }

    private void sendConfirmation(Subscriber subscriber) {
        mail(() -> composer.confirmation(subscriber.email(), links.confirm(subscriber.id(), subscriber.expiresAt()),
                messageId()), subscriber);
    }

    /** @param to whom it goes to: its bounce comes back to their VERP address */
    private void mail(java.util.function.Supplier<OutgoingMail> message, Subscriber to) {
        String envelopeFrom = returnPaths.of(to);
        OutgoingMail mail = envelopeFrom == null ? message.get() : message.get().withEnvelopeFrom(envelopeFrom);
        retrying("confirmation email", () -> {
            try {
                sender.send(mail);
            } catch (MailSendException e) {
                if (e.isPermanent()) {
                    // The server refuses it for good (5xx): the person can ask again with another address.
                    log.warn("confirmation email not sent: {}", e.getMessage());
                    return;
                }
                throw new TryAgain(e.getMessage());
            }
        });
    }

    /**
     * Runs the task on the mailer; a transient failure ({@link TryAgain}) is tried again later, with the backoff of
     * the deliveries ({@code agenda.notification.smtp.initial-backoff}, doubling up to {@code max-backoff}), until
     * {@code give-up-after} has passed since the first try: a confirmation asked for during an SMTP or database outage
     * arrives once it is over, without holding a mailer thread meanwhile. The deadline is on the clock, not a sum of
     * the waits: against an unreachable database each try itself takes the driver's server selection timeout (30 s),
     * and the waits alone let a request hold the two mailer threads for a quarter of an hour. The waits are in
     * memory: a restart forgets them, and the person asks again.
     */
    private void retrying(String what, Try task) {
        NotificationProperties.Smtp smtp = properties.smtp();
        ExponentialBackOff backOff = new ExponentialBackOff(smtp.initialBackoff().toMillis(), 2.0);
        backOff.setMaxInterval(smtp.maxBackoff().toMillis());
        submit(what, task, backOff.start(), clock.instant().plus(smtp.giveUpAfter()), 1);
    }

    private void submit(String what, Try task, BackOffExecution backOff, Instant deadline, int tryNumber) {
        execute(() -> {
            try {
                task.run();
            } catch (TryAgain failure) {
                later(what, task, backOff, deadline, tryNumber, failure.getMessage());
            } catch (RuntimeException e) {
                // The class only: a database's message can quote the address (a duplicate key), no one's to read here.
                log.warn("{} not processed: {}", what, e.getClass().getName());
            }
        });
    }

    private void later(String what, Try task, BackOffExecution backOff, Instant deadline, int tryNumber,
            String reason) {
        long wait = backOff.nextBackOff();
        if (wait == BackOffExecution.STOP || clock.instant().plusMillis(wait).isAfter(deadline)) {
            log.warn("{} given up after {} tries: {}", what, tryNumber, reason);
            return;
        }
        if (waiting.incrementAndGet() > MAX_WAITING) {
            waiting.decrementAndGet();
            log.warn("{} dropped: {} already wait for a retry ({})", what, MAX_WAITING, reason);
            return;
        }
        log.debug("{} failed (try {}), next try in {} ms: {}", what, tryNumber, wait, reason);
        scheduler.schedule(() -> {
            waiting.decrementAndGet();
            submit(what, task, backOff, deadline, tryNumber + 1);
        }, scheduler.getClock().instant().plusMillis(wait));
    }

    private void execute(Runnable task) {
        if (Thread.currentThread().getName().startsWith("confirmation-mailer")) {
            task.run(); // already off the request thread (see accept)
            return;
        }
        try {
            mailer.execute(task);
        } catch (RejectedExecutionException full) {
            // Full (a flood) or shut down: the person can ask again; the answer stays the same for everyone.
            log.warn("subscription requests and confirmation emails queue full: one dropped");
        }
    }

    /** A try that failed for a reason that may pass (an outage): try again later. */
    private static final class TryAgain extends Exception {
        TryAgain(String reason) {
            super(reason, null, false, false);
        }
    }

    @FunctionalInterface
    private interface Try {
        void run() throws TryAgain;
    }

    private String messageId() {
        return UUID.randomUUID() + "@" + properties.mail().messageIdDomain();
    }

    /**
     * What a confirmation link leads to, read only (a GET): the page offers its button (the same test as
     * {@link #confirm}, so that a link replaced by a newer one, the form sent again, says so at once instead of failing
     * after the click), or says the subscription is already confirmed.
     */
    public ConfirmLink confirmLink(String token) {
        return tokens.verify(LinkTokens.Purpose.CONFIRM, token, clock.instant())
                .flatMap(claims -> store.findById(claims.subscriberId()).map(s -> s.isConfirmed()
                        ? ConfirmLink.ALREADY_CONFIRMED
                        : s.status() == SubscriberStatus.PENDING && claims.expiresAt().equals(s.expiresAt())
                                ? ConfirmLink.TO_CONFIRM : ConfirmLink.INVALID))
                .orElse(ConfirmLink.INVALID);
    }

    public ConfirmOutcome confirm(String token) {
        return confirmation(token).outcome();
    }

    /**
     * @param confirmedNow the subscription this very request confirmed (its page links to its preferences); empty when
     *                     it was confirmed before, since an earlier subscription's confirmation link must not lead to
     *                     the management links of a later one
     */
    public record Confirmation(ConfirmOutcome outcome, Optional<Subscriber> confirmedNow) {
    }

    public Confirmation confirmation(String token) {
        Instant now = clock.instant();
        Optional<LinkTokens.Claims> claims = tokens.verify(LinkTokens.Purpose.CONFIRM, token, now);
        if (claims.isEmpty()) {
            return new Confirmation(ConfirmOutcome.INVALID, Optional.empty());
        }
        Optional<Subscriber> confirmed = store.confirm(claims.get().subscriberId(), claims.get().expiresAt(), now);
        if (confirmed.isPresent()) {
            return new Confirmation(ConfirmOutcome.CONFIRMED, confirmed);
        }
        return new Confirmation(store.findById(claims.get().subscriberId()).filter(Subscriber::isConfirmed)
                .map(s -> ConfirmOutcome.ALREADY_CONFIRMED).orElse(ConfirmOutcome.INVALID), Optional.empty());
    }

    /**
     * The subscriber a management token designates, if it still exists and the token was issued for its current
     * subscription: a link from an email of an earlier one (unsubscribed, then subscribed and confirmed again) or of
     * an erased record is as good as a forged one.
     */
    public Optional<Subscriber> manage(String token) {
        return tokens.verify(LinkTokens.Purpose.MANAGE, token, clock.instant())
                .flatMap(c -> store.findById(c.subscriberId()).filter(s -> s.epoch() == c.epoch()));
    }

    public boolean updatePreferences(String token, Preferences preferences) {
        // Conditional on the epoch too: a new subscription confirmed between the read and the write is not touched.
        return manage(token).filter(Subscriber::isConfirmed)
                .map(s -> store.updatePreferences(s.id(), s.epoch(), preferences)).orElse(false);
    }

    /**
     * Idempotent. Unsubscribes only the subscription the token was issued for, checked in the write itself: a
     * re-subscription confirmed after {@link #validManageToken} said yes is left alone.
     */
    public void unsubscribe(String token) {
        tokens.verify(LinkTokens.Purpose.MANAGE, token, clock.instant())
                .ifPresent(c -> store.unsubscribe(c.subscriberId(), c.epoch(), clock.instant()));
    }

    /** Whether the token designates a current subscription (of whatever status): see {@link #manage}. */
    public boolean validManageToken(String token) {
        return manage(token).isPresent();
    }

    void purgeExpired() {
        try {
            long removed = store.purgeExpired(clock.instant());
            if (removed > 0) {
                log.info("removed {} unconfirmed subscriptions past their expiry", removed);
            }
        } catch (RuntimeException e) {
            log.warn("purge of expired subscriptions failed, will try again: {}", e.toString());
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
