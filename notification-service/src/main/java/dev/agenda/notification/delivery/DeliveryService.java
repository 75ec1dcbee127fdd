package dev.agenda.notification.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;

import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.event.EventSnapshot;
import dev.agenda.notification.event.EventState;
import dev.agenda.notification.event.EventStateStore;
import dev.agenda.notification.event.NoticeKind;
import dev.agenda.notification.event.ScheduleChange;
import dev.agenda.notification.mail.MailComposer;
import dev.agenda.notification.mail.MailSendException;
import dev.agenda.notification.mail.OutgoingMail;
import dev.agenda.notification.mail.SmtpSender;
import dev.agenda.notification.bounce.BounceService;
import dev.agenda.notification.subscription.ReturnPaths;
import dev.agenda.notification.subscription.Subscriber;
import dev.agenda.notification.subscription.SubscriberStatus;
import dev.agenda.notification.subscription.SubscriberStore;
import dev.agenda.notification.subscription.SubscriptionLinks;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/**
 * Sends the emails of delivery orders, exactly once per record: insert or load the record, skip it if settled, claim
 * it (SENDING, with a lease), send its content, mark it COMMITTING, end the SMTP data, mark it SENT (see
 * {@link #attempt}). Per batch: one read of the records, one claim of the PENDING ones, one write of the SENT marks;
 * per email, only the COMMITTING mark, which must precede its end of data.
 */
@Service
public class DeliveryService {

    private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);

    private final DeliveryStore deliveries;
    private final SubscriberStore subscribers;
    private final EventStateStore events;
    private final SubscriptionLinks links;
    private final MailComposer composer;
    private final SmtpSender sender;
    private final DeliveryRequestPublisher publisher;
    private final NotificationProperties.Smtp smtp;
    private final String messageIdDomain;
    private final Clock clock;
    private final ExecutorService workers;
    private final Counter sent;
    private final Counter failed;
    private final Counter retried;
    private final Counter swept;
    private final TaskScheduler scheduler;
    private final NoticeDecisions notices;
    private final ReturnPaths returnPaths;
    private final BounceService bounces;
    private final SmtpAvailability smtpAvailability = new SmtpAvailability();
    /** Counted down when the service stops: ends the waits between tries, and no try starts after it. */
    private volatile CountDownLatch stopped = new CountDownLatch(1);
    private static final int SWEEP_LIMIT = 1_000;
    /** How long what a batch read is trusted for an email about to leave. */
    private static final Duration STALE_AFTER = Duration.ofSeconds(5);

    DeliveryService(DeliveryStore deliveries, SubscriberStore subscribers, EventStateStore events,
            SubscriptionLinks links, MailComposer composer, SmtpSender sender, DeliveryRequestPublisher publisher,
            NotificationProperties properties, Clock clock, MeterRegistry meters, TaskScheduler scheduler,
            NoticeDecisions notices, ReturnPaths returnPaths, BounceService bounces) {
        this.scheduler = scheduler;
        this.notices = notices;
        this.returnPaths = returnPaths;
        this.bounces = bounces;
        this.swept = Counter.builder("agenda.deliveries.swept")
                .description("Abandoned deliveries (order dead-lettered, batch given up) ordered again")
                .register(meters);
        this.sent = Counter.builder("agenda.emails.sent").description("Emails accepted by the SMTP relay")
                .register(meters);
        this.failed = Counter.builder("agenda.emails.failed")
                .description("Deliveries given up: permanent SMTP failure, or transient ones past the deadline")
                .register(meters);
        this.retried = Counter.builder("agenda.emails.retried")
                .description("Transient SMTP failures that will be retried").register(meters);
        this.deliveries = deliveries;
        this.subscribers = subscribers;
        this.events = events;
        this.links = links;
        this.composer = composer;
        this.sender = sender;
        this.publisher = publisher;
        this.smtp = properties.smtp();
        this.messageIdDomain = properties.mail().messageIdDomain();
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(Math.max(1, smtp.concurrency()), r -> {
            Thread t = new Thread(r, "smtp-sender-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PostConstruct
    void scheduleSweep() {
        scheduler.scheduleWithFixedDelay(this::sweepAbandoned, smtp.sweepInterval());
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    /**
     * The service is stopping (SIGTERM, a rolling deploy): the batches being sent give back at once what they
     * claimed and did not send — what waits between two tries (an SMTP outage), and what has not started — instead
     * of holding it until the stop gives up on them and their claims expire. A try under way ends first (SMTP
     * timeouts bound it); what it committed stays committed.
     */
    public void stopSending() {
        stopped.countDown();
    }

    /** Sending again after {@link #stopSending} (a context stopped and started again). */
    public void resumeSending() {
        if (stopping()) {
            stopped = new CountDownLatch(1);
        }
    }

    private boolean stopping() {
        return stopped.getCount() == 0;
    }

    /**
     * Sends a batch on the SMTP pool and returns when every order is final or left for a retry.
     *
     * @throws DeliveriesGivenBack if the service stopped before every order was settled: those left are PENDING
     *         again, and their orders must be delivered again
     */
    public void deliver(List<DeliveryOrder> orders) {
        if (orders.isEmpty()) {
            return;
        }
        if (stopping()) {
            // Nothing read, nothing claimed: the orders go back as they came.
            throw new DeliveriesGivenBack(orders.size());
        }
        Instant deadline = clock.instant().plus(smtp.giveUpAfter());
        List<DeliveryOrder> distinct = orders.stream().distinct().toList();
        Instant read = clock.instant();
        Map<String, Delivery> records = deliveries.insertOrLoadAll(distinct, read);
        BatchReads reads = new BatchReads(distinct, read);
        List<Delivery> open = distinct.stream().map(o -> records.get(o.deliveryId()))
                .filter(d -> d != null && !d.isFinal()).toList();
        // The PENDING ones are claimed together; the others (held by a sender that may have crashed) one by one.
        Map<String, Delivery> claimed = deliveries.claimAll(open.stream().map(Delivery::id).toList(),
                clock.instant(), smtp.lease());
        Batch batch = Batch.empty();
        CompletableFuture<?>[] all = open.stream()
                .map(d -> CompletableFuture.runAsync(() -> deliver(d, claimed.get(d.id()), reads.contextOf(d, batch),
                        deadline), workers))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(all).join();
        } catch (CompletionException e) {
            // Storage trouble: the listener fails, the batch comes back, final records are skipped then.
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } finally {
            // COMMITTING already counts as sent (a crash before this line loses nothing and duplicates nothing):
            // the 250s only need recording, so they are recorded together.
            deliveries.markAllSent(List.copyOf(batch.accepted()), clock.instant());
            orderNoticesMissed(batch);
            // One line per batch, in the publication's trace: where its emails show up in the logs.
            log.info("{} deliveries of {}: {} accepted by the SMTP server", distinct.size(),
                    distinct.stream().map(DeliveryOrder::eventId).distinct().toList(), batch.accepted().size());
            giveBack(batch);
        }
        if (!batch.unsent().isEmpty()) {
            throw new DeliveriesGivenBack(batch.unsent().size());
        }
    }

    /** Releases the claims of a batch's deliveries given back unsent (the others were PENDING already). */
    private void giveBack(Batch batch) {
        if (batch.unsent().isEmpty()) {
            return;
        }
        try {
            long released = deliveries.giveBackAll(List.copyOf(batch.held()), clock.instant());
            log.info("stopping: {} deliveries given back unsent ({} claims released), sent by the next holder of "
                    + "their orders", batch.unsent().size(), released);
        } catch (RuntimeException e) {
            // Their claims expire after the lease, as after a crash: later, not lost.
            log.warn("stopping: {} deliveries given back unsent, their claims not released: {}",
                    batch.unsent().size(), e.toString());
        }
    }

    static final String SUBSCRIBED_AFTER_PUBLICATION = "subscribed again after the event's publication";
    static final String ADDRESS_BOUNCED = "address suppressed after a hard bounce";
    static final String ANNOUNCEMENT_SHOWED_IT = "the announcement received already showed this revision";
    static final String SUPERSEDED = "a later notice of the event replaces it";

    /**
     * What every delivery of a batch needs, read in a few queries rather than a few per email, and read again the
     * same way once older than {@link #STALE_AFTER}: a large batch (or several sharing the SMTP pool) takes longer
     * than that to send, and its later emails each re-read their subscriber and event otherwise, which was a fifth of
     * the sending threads' CPU in the fan-out bench.
     */
    private final class BatchReads {

        private final Set<String> subscriberIds;
        private final Set<String> eventIds;
        private final List<String> announcementIds;
        /** For each event with notices in the batch, the earliest notice's revision. */
        private final Map<String, Long> earliestNotice;
        private Instant readAt;
        private Map<String, Subscriber> people;
        private Map<String, Optional<EventState>> states;
        private Map<String, Long> announced;
        private Map<String, Long> latestNotice;

        BatchReads(List<DeliveryOrder> orders, Instant now) {
            subscriberIds = orders.stream().map(DeliveryOrder::subscriberId).collect(Collectors.toSet());
            eventIds = orders.stream().map(DeliveryOrder::eventId).collect(Collectors.toSet());
            announcementIds = orders.stream().filter(o -> o.kind() != NoticeKind.ANNOUNCEMENT)
                    .map(o -> DeliveryOrder.deliveryId(o.eventId(), NoticeKind.ANNOUNCEMENT, o.subscriberId(), 0))
                    .toList();
            earliestNotice = orders.stream().filter(o -> o.kind() != NoticeKind.ANNOUNCEMENT)
                    .collect(Collectors.toMap(DeliveryOrder::eventId,
                            o -> DeliveryOrder.noticeRevision(o.kind(), o.revision()), Math::min));
            read(now);
        }

        /** @param now taken before the reads: their age counts from then */
        private void read(Instant now) {
            people = subscribers.findAllById(subscriberIds);
            Map<String, Optional<EventState>> read = new HashMap<>();
            eventIds.forEach(id -> read.put(id, events.find(id)));
            states = read;
            announced = announcementIds.isEmpty() ? Map.of() : deliveries.shownAmong(announcementIds);
            // After the states: a notice is recorded before the state of its revision, so a state read here as
            // cancelled (or moved) comes with the notice that tells it.
            Map<String, Long> latest = new HashMap<>();
            earliestNotice.forEach((eventId, earliest) -> latest.put(eventId, latestNoticeAfter(eventId, earliest)));
            latestNotice = latest;
            readAt = now;
        }

        /** What this delivery's email is to show, read at most {@link #STALE_AFTER} ago. */
        synchronized Context contextOf(Delivery delivery, Batch batch) {
            Instant now = clock.instant();
            if (now.isAfter(readAt.plus(STALE_AFTER))) {
                read(now);
            }
            return new Context(people.get(delivery.subscriberId()), states.get(delivery.eventId()).orElse(null),
                    announced.get(DeliveryOrder.deliveryId(delivery.eventId(), NoticeKind.ANNOUNCEMENT,
                            delivery.subscriberId(), 0)), latestNotice.getOrDefault(delivery.eventId(), 0L), batch,
                    readAt);
        }
    }

    /**
     * What a reschedule changed for its recipient: since the last email they received about the event (the
     * announcement, a reschedule or the cancellation it now takes back). A notice another one superseded was not
     * received: a move from A to B then C, told once, is told as from A to C.
     */
    private ScheduleChange changeFor(Delivery notice) {
        List<ScheduleChange.Earlier> earlier = decidedBefore(notice.eventId(), notice.noticeRevision());
        Map<String, ScheduleChange.Earlier> byDelivery = new HashMap<>();
        for (ScheduleChange.Earlier e : earlier) {
            byDelivery.put(DeliveryOrder.deliveryId(notice.eventId(), e.kind(), notice.subscriberId(),
                    e.kind() == NoticeKind.ANNOUNCEMENT ? 0 : e.revision()), e);
        }
        return deliveries.shownAmong(byDelivery.keySet()).entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue()
                        .thenComparingLong(received -> byDelivery.get(received.getKey()).revision()))
                .flatMap(last -> ScheduleChange.since(earlier, byDelivery.get(last.getKey()), last.getValue()))
                .orElse(null);
    }

    /**
     * The notices decided before a reschedule, read once for all its recipients: decisions are never rewritten, so
     * what was read stays true (only the retention of the delivery log removes them, with the event's deliveries).
     */
    private List<ScheduleChange.Earlier> decidedBefore(String eventId, long revision) {
        String key = eventId + ":" + revision;
        synchronized (decided) {
            List<ScheduleChange.Earlier> known = decided.get(key);
            if (known != null) {
                return known;
            }
        }
        List<ScheduleChange.Earlier> read = notices.before(eventId, revision);
        synchronized (decided) {
            decided.put(key, read);
        }
        return read;
    }

    /** The notices decided before the few reschedules being sent, by {@code eventId:revision}. */
    private final Map<String, List<ScheduleChange.Earlier>> decided = new java.util.LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<ScheduleChange.Earlier>> eldest) {
            return size() > 64;
        }
    };

    /** The revision of the latest notice decided for the event after {@code revision}, or {@code revision}. */
    private long latestNoticeAfter(String eventId, long revision) {
        return notices.after(eventId, revision).stream().mapToLong(NoticeDecisions.Decision::revision).max()
                .orElse(revision);
    }

    /**
     * What the batch read for one delivery: its subscriber, its event, and, for a notice, the revision its recipient's
     * announcement showed (null when none was received) and the revision of the latest notice decided for its event
     * (0 for an announcement).
     */
    private record Context(Subscriber subscriber, EventState state, Long announcementShown, long latestNotice,
            Batch batch, Instant readAt) {
    }

    /**
     * What the deliveries of one batch collect: the ids whose end of data the server answered 250, the
     * announcements committed with the revision of the event they showed, and, when the service stops, the ids
     * given back unsent and the claims among them to release.
     */
    private record Batch(Queue<String> accepted, Queue<Shown> announcements, Queue<String> unsent,
            Queue<Delivery> held) {

        static Batch empty() {
            return new Batch(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>(),
                    new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
        }
    }

    /** An announcement committed (COMMITTING, so counted as received) showing the event as of {@code revision}. */
    private record Shown(Delivery delivery, long revision) {
    }

    /**
     * An announcement shows the event as its batch read it, up to {@link #STALE_AFTER} before it leaves. A
     * cancellation or a move decided in between is fanned out to those whose announcement was already received, which
     * may not include this one yet: its recipient would come to a cancelled event, or at the old time. So, once the
     * announcements are committed, the notices decided on a later revision than the one each showed are ordered for
     * its recipient too. Checked after the commit, a notice the fan-out missed is always seen here (it was recorded
     * before its fan-out looked); one it did not miss is ordered twice, and the delivery record makes that one email.
     */
    private void orderNoticesMissed(Batch batch) {
        if (batch.announcements().isEmpty()) {
            return;
        }
        try {
            Map<String, List<Shown>> byEvent = batch.announcements().stream()
                    .collect(Collectors.groupingBy(s -> s.delivery().eventId()));
            List<DeliveryOrder> orders = new java.util.ArrayList<>();
            byEvent.forEach((eventId, shown) -> {
                long oldest = shown.stream().mapToLong(Shown::revision).min().orElseThrow();
                List<NoticeDecisions.Decision> later = notices.after(eventId, oldest);
                for (Shown s : shown) {
                    later.stream().filter(d -> d.revision() > s.revision())
                            .map(d -> DeliveryOrder.of(eventId, d.revision(), d.kind(), s.delivery().subscriberId()))
                            .forEach(orders::add);
                }
            });
            if (!orders.isEmpty()) {
                log.info("{} notices ordered for announcements that showed an older revision of their event",
                        orders.size());
                publisher.publish(orders);
            }
        } catch (RuntimeException e) {
            // The records are final: nothing would look at these again. Say whom it concerns.
            log.error("notices decided while announcements were leaving may be missing for deliveries {}: {}",
                    batch.announcements().stream().map(s -> s.delivery().id()).toList(), e.toString());
        }
    }

    /** @param preClaimed the record claimed with its batch, or null to claim it here */
    private void deliver(Delivery delivery, Delivery preClaimed, Context batchContext, Instant deadline) {
        Context context = batchContext;
        Duration backoff = smtp.initialBackoff();
        Delivery first = preClaimed;
        while (!delivery.isFinal()) {
            if (stopping()) {
                // Not started, or between two tries: not a try more here. Its claim with the batch, if not used
                // yet, is released with the others; after a try, the record is PENDING already.
                context.batch().unsent().add(delivery.id());
                if (first != null) {
                    context.batch().held().add(first);
                }
                return;
            }
            Optional<Delivery> claimed = first != null ? Optional.of(first)
                    : deliveries.claim(delivery.id(), clock.instant(), smtp.lease());
            first = null;
            if (claimed.isPresent() && leaseRunningOut(claimed.get())) {
                // Claimed with its batch a while ago: extend the claim before the SMTP exchange starts.
                claimed = deliveries.renew(claimed.get(), clock.instant(), smtp.lease());
            }
            if (claimed.isEmpty()) {
                // Another sender holds it (or held it and crashed: its lease will expire). Wait and look again.
                Optional<Delivery> now = deliveries.find(delivery.id());
                if (now.isEmpty() || now.get().isFinal()) {
                    return;
                }
                if (clock.instant().isAfter(deadline.plus(smtp.lease()))) {
                    log.warn("delivery {} still held by another sender; leaving it", delivery.id());
                    return;
                }
                delivery = now.get();
                if (!pause(backoff)) {
                    context.batch().unsent().add(delivery.id());
                    return;
                }
                backoff = longer(backoff);
                context = reread(context, delivery);
                continue;
            }
            if (clock.instant().isAfter(context.readAt().plus(STALE_AFTER))) {
                // Waited behind other emails (an SMTP outage, a large batch): the batch's reads may be out of date.
                context = reread(context, delivery);
            }
            Optional<TransientFailure> transientFailure = attempt(claimed.get(), context);
            if (transientFailure.isEmpty()) {
                return;
            }
            String error = transientFailure.get().error().getMessage();
            DeliveryStatus from = transientFailure.get().from();
            if (clock.instant().plus(backoff).isAfter(deadline)) {
                log.warn("delivery {} FAILED after {} attempts: {}", delivery.id(), claimed.get().attempts(), error);
                deliveries.markFailed(claimed.get(), from, "gave up after transient failures: " + error,
                        clock.instant());
                failed.increment();
                return;
            }
            retried.increment();
            deliveries.release(claimed.get(), from, error, clock.instant());
            delivery = claimed.get();
            if (!pause(backoff)) {
                // Released above: PENDING, for whoever gets its order next.
                context.batch().unsent().add(delivery.id());
                return;
            }
            backoff = longer(backoff);
            context = reread(context, delivery);
        }
    }

    /**
     * What the batch read for this delivery, read again after a pause: an SMTP outage can last minutes, during which
     * the event may be moved or cancelled, or the person unsubscribe. An email leaves with the state of its attempt.
     */
    private Context reread(Context context, Delivery delivery) {
        Long announcementShown = delivery.kind() == NoticeKind.ANNOUNCEMENT ? null
                : deliveries.shownAmong(List.of(DeliveryOrder.deliveryId(delivery.eventId(), NoticeKind.ANNOUNCEMENT,
                        delivery.subscriberId(), 0))).values().stream().findFirst().orElse(null);
        Instant now = clock.instant();
        EventState state = events.find(delivery.eventId()).orElse(null);
        long latestNotice = delivery.kind() == NoticeKind.ANNOUNCEMENT ? 0
                : latestNoticeAfter(delivery.eventId(), delivery.noticeRevision());
        return new Context(subscribers.findById(delivery.subscriberId()).orElse(null), state, announcementShown,
                latestNotice, context.batch(), now);
    }

    /**
     * An announcement skipped on a read of its event that a "back on" revision has since replaced. The revision's
     * consumer writes the event's state, then reopens the announcements it finds SKIPPED; this sender wrote SKIPPED,
     * then reads the state: whichever comes second sees the other's write, so the announcement is never left skipped.
     * Both may see it: the conditional update reopens it once.
     */
    private void reopenIfBackOn(Delivery skipped, long readRevision) {
        Instant now = clock.instant();
        Optional<EventState> current = events.find(skipped.eventId());
        if (current.isEmpty() || current.get().deleted() || current.get().snapshot().revision() <= readRevision
                || current.get().snapshot().cancelled() || current.get().snapshot().isOverAt(now)) {
            return;
        }
        if (deliveries.reopenSkippedTooLate(skipped.id(), now)) {
            log.info("delivery {}: skipped on revision {}, event back on at revision {}: ordered again", skipped.id(),
                    readRevision, current.get().snapshot().revision());
            publisher.publish(List.of(new DeliveryOrder(skipped.id(), skipped.eventId(), skipped.revision(),
                    skipped.kind(), skipped.subscriberId())));
        }
    }

    /**
     * One try of a claimed delivery with what was read before the claim: {@link #deliver} with the read given, for
     * the tests of a read that a later revision makes stale.
     */
    void attemptWith(Delivery claimed, Subscriber subscriber, EventState state, boolean announcementSent) {
        Batch alone = Batch.empty();
        attempt(claimed, new Context(subscriber, state, announcementSent ? Long.valueOf(0) : null,
                claimed.noticeRevision(), alone, clock.instant()));
    }

    /** A failure worth another try, and the state (SENDING or COMMITTING) the record was left in. */
    private record TransientFailure(MailSendException error, DeliveryStatus from) {
    }

    /** Less than half of the claim's lease left. */
    private boolean leaseRunningOut(Delivery claimed) {
        return claimed.leaseUntil() == null
                || clock.instant().plus(smtp.lease().dividedBy(2)).isAfter(claimed.leaseUntil());
    }

    /** The commit point found the record taken over by another sender (this one's lease had expired). */
    private static final class ClaimLost extends Exception {
        ClaimLost(String id) {
            super("delivery " + id + " is no longer held by this sender");
        }
    }

    /** The claim would expire too soon after the end of data for the COMMITTING mark to be sure to be this one's. */
    private static final class LeaseTooShort extends Exception {
        LeaseTooShort(String id) {
            super("delivery " + id + ": claim about to expire, not committed");
        }
    }

    /**
     * One claim, one try. The end-of-data mark is written just before the COMMITTING update leaves for MongoDB, on
     * the same thread ({@link DeliveryStore#markCommitting}): a crash before the mark leaves an unterminated DATA,
     * which the server discards, and a SENDING record sent again once its lease expires; a crash after both leaves a
     * COMMITTING record (the kernel delivers what a killed process wrote), never sent again. Only a crash between
     * the two writes, microseconds apart with nothing awaited in between, causes a second email.
     *
     * @return a transient failure to retry, or empty when the record is settled (SENT, FAILED, SKIPPED, or taken
     *         over by another sender)
     */
    private Optional<TransientFailure> attempt(Delivery delivery, Context context) {
        Instant now = clock.instant();
        Optional<String> skip = Optional.empty();
        Subscriber subscriber = context.subscriber();
        EventState state = context.state();
        if (subscriber != null && subscriber.status() == SubscriberStatus.BOUNCED) {
            skip = Optional.of(ADDRESS_BOUNCED);
        } else if (subscriber == null || !subscriber.isConfirmed()) {
            skip = Optional.of("subscriber no longer subscribed");
        } else if (state == null || (state.deleted()
                && !(delivery.kind() == NoticeKind.CANCELLATION && state.snapshot().cancelled()))) {
            // A deleted event's last word is its cancellation, if it had one: that notice still leaves.
            skip = Optional.of("event deleted");
        } else if (delivery.kind() == NoticeKind.ANNOUNCEMENT && subscriber.confirmedAt() != null
                && subscriber.confirmedAt().isAfter(state.snapshot().publishedAt())) {
            // Ordered for an earlier subscription of the address, which was ended and confirmed anew while the order
            // waited (a backlog, an SMTP outage): the current subscription began after the event's publication, and
            // the fan-out would not have chosen it. Final: no later revision makes it an announcement to send.
            skip = Optional.of(SUBSCRIBED_AFTER_PUBLICATION);
        } else if (delivery.kind() == NoticeKind.ANNOUNCEMENT
                && (state.snapshot().cancelled() || state.snapshot().isOverAt(now))) {
            skip = Optional.of(DeliveryStore.ANNOUNCEMENT_TOO_LATE);
        } else if (delivery.kind() != NoticeKind.ANNOUNCEMENT && context.announcementShown() == null) {
            skip = Optional.of("announcement not received");
        } else if (delivery.kind() != NoticeKind.ANNOUNCEMENT
                && context.announcementShown() >= delivery.noticeRevision()) {
            // The announcement left late (re-sent when the event was back on, or held back by an outage) and already
            // showed the event as this notice would: the same news twice is not what anyone asked for.
            skip = Optional.of(ANNOUNCEMENT_SHOWED_IT);
        } else if (delivery.kind() != NoticeKind.ANNOUNCEMENT && context.latestNotice() > delivery.noticeRevision()) {
            // Both waited (one batch, an SMTP outage) and this one would leave showing the event as it is now, under
            // its own words: "moved" with a calendar entry for an event since cancelled, a CANCEL for one back on, or
            // the same move twice. The later notice goes to the same people (those announced) and tells it right.
            skip = Optional.of(SUPERSEDED);
        } else if (state.snapshot().isOverAt(now)) {
            // A notice held back past the event's end (an SMTP outage, a backlog) would only tell of the past.
            skip = Optional.of("event over");
        }
        if (skip.isPresent()) {
            deliveries.markSkipped(delivery, skip.get(), now);
            if (subscriber == null) {
                // Erased while this order was on its way: its record must not keep pointing at the person either.
                deliveries.anonymise(delivery.subscriberId(), now);
            }
            if (skip.get().equals(DeliveryStore.ANNOUNCEMENT_TOO_LATE)) {
                reopenIfBackOn(delivery, state.snapshot().revision());
            }
            return Optional.empty();
        }
        // The current state, not the one of the deciding revision: an announcement that leaves late shows the
        // latest date and place.
        EventSnapshot event = state.snapshot();
        ScheduleChange change = delivery.kind() == NoticeKind.RESCHEDULE ? changeFor(delivery) : null;
        String token = links.manageToken(subscriber);
        OutgoingMail composed = composer.notice(delivery.kind(), event, change, state.deleted(), subscriber.email(),
                delivery.id() + "@" + messageIdDomain, links.preferencesWith(token), links.unsubscribeWith(token),
                token);
        // Its bounce, if any, comes back to an address naming this subscription (VERP).
        String envelopeFrom = returnPaths.of(subscriber);
        OutgoingMail mail = envelopeFrom == null ? composed : composed.withEnvelopeFrom(envelopeFrom);
        // committed: the record is COMMITTING under this claim; unsettled: the end of data was written but the
        // record is not (known to be) COMMITTING under this claim, so it is left as it is (see below).
        AtomicBoolean committed = new AtomicBoolean();
        AtomicBoolean unsettled = new AtomicBoolean();
        try {
            sender.send(mail, endOfData -> {
                // Once the mark is written nothing takes it back: the claim must outlast the COMMITTING update.
                if (clock.instant().plus(smtp.lease().dividedBy(10)).isAfter(delivery.leaseUntil())) {
                    throw new LeaseTooShort(delivery.id());
                }
                AtomicBoolean ended = new AtomicBoolean();
                boolean marked;
                try {
                    marked = deliveries.markCommitting(delivery, event.revision(), clock.instant(), () -> {
                        ended.set(true);
                        endOfData.write();
                    });
                } catch (RuntimeException unknown) {
                    if (!ended.get()) {
                        throw unknown;
                    }
                    log.error("delivery {}: end of data written, COMMITTING mark unknown ({}); if it was not applied,"
                            + " the email is sent again when the claim expires", delivery.id(), unknown.toString());
                    unsettled.set(true);
                    return;
                }
                if (!ended.get()) {
                    // The update was never sent: nothing changed, unless the record was not this claim's.
                    throw new ClaimLost(delivery.id());
                }
                if (marked) {
                    committed.set(true);
                } else {
                    // The lease check above makes this a matter of clock skew or a pause longer than a lease.
                    log.error("delivery {} taken over by another sender while its end of data was written: it may "
                            + "arrive twice", delivery.id());
                    unsettled.set(true);
                }
            });
        } catch (MailSendException e) {
            if (e.abandonedAtCommit() && causedBy(e, ClaimLost.class)) {
                // Its new holder sends it; this copy was dropped before its end of data, so the server discards it.
                log.info("delivery {} taken over by another sender; this copy abandoned", delivery.id());
                return Optional.empty();
            }
            if (unsettled.get()) {
                return Optional.empty();
            }
            // Before the commit point nothing was delivered: the record is still SENDING. After it, the server
            // answered 4xx/5xx to the end of data (known not accepted), or the connection was lost before its
            // answer: in doubt, sent again (RFC 5321 §6.1: not delivered until "250"), under the same Message-ID.
            DeliveryStatus from = committed.get() ? DeliveryStatus.COMMITTING : DeliveryStatus.SENDING;
            if (e.isPermanent()) {
                smtpAvailability.answered(clock.instant());
                deliveries.markFailed(delivery, from, e.getMessage(), clock.instant());
                failed.increment();
                suppressIfUnknown(subscriber, e);
                return Optional.empty();
            }
            if (e.serverUnavailable()) {
                smtpAvailability.transientFailure(e.getMessage(), clock.instant());
            }
            return Optional.of(new TransientFailure(e, from));
        }
        smtpAvailability.answered(clock.instant());
        if (delivery.kind() == NoticeKind.ANNOUNCEMENT) {
            context.batch().announcements().add(new Shown(delivery, event.revision()));
        }
        if (unsettled.get()) {
            sent.increment();
            return Optional.empty();
        }
        context.batch().accepted().add(delivery.id());
        sent.increment();
        return Optional.empty();
    }

    /**
     * The server said the address does not exist (5.1.x at RCPT or DATA): the bounce report it would have sent later,
     * learnt now, suppresses the address the same way. A policy refusal (5.7.x) does not.
     */
    private void suppressIfUnknown(Subscriber subscriber, MailSendException refusal) {
        try {
            bounces.refused(subscriber.id(), subscriber.epoch(), refusal);
        } catch (RuntimeException e) {
            // The delivery is FAILED either way; the next notice's refusal will suppress the address then.
            log.warn("delivery refused for subscriber {}: suppression not recorded: {}", subscriber.id(), e.toString());
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Waits {@code backoff} before another try. @return false if the service stopped meanwhile */
    private boolean pause(Duration backoff) {
        try {
            return !stopped.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }

    private Duration longer(Duration backoff) {
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(smtp.maxBackoff()) > 0 ? smtp.maxBackoff() : next;
    }

    /**
     * Orders again what nobody will send otherwise: a record whose order went to the dead-letter topic, or whose batch
     * was given up after storage failures, stays PENDING (or SENDING under an expired claim) with no order left in
     * Kafka. Past giveUpAfter + lease no batch can still be working on it; a second order for a record that is in
     * fact being sent is harmless (the claim decides).
     */
    void sweepAbandoned() {
        try {
            Instant before = clock.instant().minus(smtp.giveUpAfter()).minus(smtp.lease());
            List<DeliveryOrder> orders = deliveries.abandoned(before, SWEEP_LIMIT).stream()
                    .map(d -> new DeliveryOrder(d.id(), d.eventId(), d.revision(), d.kind(), d.subscriberId()))
                    .toList();
            if (!orders.isEmpty()) {
                log.warn("{} abandoned deliveries ordered again", orders.size());
                publisher.publish(orders);
                swept.increment(orders.size());
            }
        } catch (RuntimeException e) {
            log.warn("sweeping abandoned deliveries failed, will try again: {}", e.toString());
        }
    }

    /** Admin: the records of an event. */
    public List<Delivery> ofEvent(String eventId, DeliveryStatus status) {
        return deliveries.ofEvent(eventId, status);
    }

    public DeliveryStore.DeliveryPage ofEvent(String eventId, DeliveryStatus status, int page, int size) {
        return deliveries.ofEvent(eventId, status, page, size);
    }

    public java.util.Map<DeliveryStatus, Long> countsOf(String eventId) {
        return deliveries.countsOf(eventId);
    }

    /** Admin: FAILED → PENDING and a new order for each; SENT and the others are left alone. */
    public int retryFailed(String eventId) {
        Instant now = clock.instant();
        List<DeliveryOrder> orders = deliveries.ofEvent(eventId, DeliveryStatus.FAILED).stream()
                .filter(d -> deliveries.resetFailed(d.id(), now))
                .map(d -> new DeliveryOrder(d.id(), d.eventId(), d.revision(), d.kind(), d.subscriberId()))
                .toList();
        if (!orders.isEmpty()) {
            publisher.publish(orders);
        }
        return orders.size();
    }

    /** Right to erasure: keep the log of what was sent, without the person. */
    public long anonymise(String subscriberId) {
        return deliveries.anonymise(subscriberId, clock.instant());
    }
}
