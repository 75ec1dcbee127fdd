package dev.agenda.notification;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * Settings of the notification service, checked at start-up: a setting that cannot work stops the service with the
 * property named, instead of misbehaving later (a public-base-url without its scheme put relative links, which no mail
 * client can follow, into every email; a fan-out page size of 0, no limit to MongoDB, read every subscriber into one
 * page).
 *
 * @param publicBaseUrl       where people reach this service (links in emails); https in production, as RFC 8058
 *                            requires for one-click unsubscribe
 * @param siteBaseUrl         the public site; an event page is {@code <siteBaseUrl>/agenda/<slug>/}
 * @param corsOrigins         origins allowed to call {@code POST /api/subscriptions} from a browser (the site)
 * @param tokenKey            HMAC key of the links' tokens (at least 32 characters); generated at start when empty,
 *                            which invalidates every link at each restart: set it in any real deployment
 * @param confirmationExpiry  how long an unconfirmed subscription (and its link) lives
 * @param purgeInterval       how often expired unconfirmed subscriptions, and delivery logs past their retention, are
 *                            removed
 * @param mail                sender identity and headers
 * @param smtp                sending pool, rate and retry policy
 * @param fanout              paging of announcements
 * @param rateLimit           limits of {@code POST /api/subscriptions}
 * @param unsubscribeMailbox  the mailbox receiving what is sent to {@link Mail#unsubscribeMailto}
 * @param bounces             the envelope sender of every email, and the mailbox its bounces come back to
 * @param deliveryLogRetention how long after an event is over its deliveries and announcements are kept (the admin's
 *                            delivery log, and who to tell of a change); at least 8 days, longer than the deliveries
 *                            topic keeps an order, so that no order outlives its record
 */
@Validated
@ConfigurationProperties("agenda.notification")
public record NotificationProperties(
        @DefaultValue("http://127.0.0.1:8082") URI publicBaseUrl,
        @DefaultValue("http://127.0.0.1:8083") URI siteBaseUrl,
        @DefaultValue("http://127.0.0.1:8083") List<String> corsOrigins,
        String tokenKey,
        @DefaultValue("7d") @DurationMin(millis = 1) Duration confirmationExpiry,
        @DefaultValue("1h") @DurationMin(millis = 1) Duration purgeInterval,
        @DefaultValue @Valid Mail mail,
        @DefaultValue @Valid Smtp smtp,
        @DefaultValue @Valid Fanout fanout,
        @DefaultValue @Valid RateLimit rateLimit,
        @DefaultValue @Valid Mailbox unsubscribeMailbox,
        @DefaultValue @Valid Bounces bounces,
        @DefaultValue("365d") @DurationMin(days = 8) Duration deliveryLogRetention) {

    static final Duration DEFAULT_DELIVERY_LOG_RETENTION = Duration.ofDays(365);

    @ConstructorBinding
    public NotificationProperties {
    }

    /** Settings with the default retention of the delivery log. */
    public NotificationProperties(URI publicBaseUrl, URI siteBaseUrl, List<String> corsOrigins, String tokenKey,
            Duration confirmationExpiry, Duration purgeInterval, Mail mail, Smtp smtp, Fanout fanout,
            RateLimit rateLimit, Mailbox unsubscribeMailbox, Bounces bounces) {
        this(publicBaseUrl, siteBaseUrl, corsOrigins, tokenKey, confirmationExpiry, purgeInterval, mail, smtp, fanout,
                rateLimit, unsubscribeMailbox, bounces, DEFAULT_DELIVERY_LOG_RETENTION);
    }

    /** Settings without bounce handling and with the default retention of the delivery log. */
    public NotificationProperties(URI publicBaseUrl, URI siteBaseUrl, List<String> corsOrigins, String tokenKey,
            Duration confirmationExpiry, Duration purgeInterval, Mail mail, Smtp smtp, Fanout fanout,
            RateLimit rateLimit, Mailbox unsubscribeMailbox) {
        this(publicBaseUrl, siteBaseUrl, corsOrigins, tokenKey, confirmationExpiry, purgeInterval, mail, smtp, fanout,
                rateLimit, unsubscribeMailbox, null, DEFAULT_DELIVERY_LOG_RETENTION);
    }

    private static final String ABSOLUTE = "must be an absolute http(s) URL without query or fragment, e.g. "
            + "https://agenda.example.org";

    @AssertTrue(message = "public-base-url " + ABSOLUTE)
    public boolean isPublicBaseUrlAbsolute() {
        return absoluteHttp(publicBaseUrl);
    }

    @AssertTrue(message = "site-base-url " + ABSOLUTE)
    public boolean isSiteBaseUrlAbsolute() {
        return absoluteHttp(siteBaseUrl);
    }

    /** The links of the emails are this plus a path: anything else than scheme, host and path would break them. */
    private static boolean absoluteHttp(URI url) {
        return url != null && ("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                && url.getHost() != null && url.getRawQuery() == null && url.getRawFragment() == null;
    }

    /**
     * @param from             From header
     * @param unsubscribeMailto address offered as the mailto alternative of List-Unsubscribe
     * @param messageIdDomain  right-hand side of the Message-IDs
     */
    public record Mail(
            @DefaultValue("Agenda <agenda@agenda.localhost>") String from,
            @DefaultValue("unsubscribe@agenda.localhost") String unsubscribeMailto,
            @DefaultValue("agenda.localhost") String messageIdDomain) {
    }

    /**
     * @param concurrency     parallel SMTP connections (each reused across messages)
     * @param ratePerSecond   messages per second across the pool; 0 = unlimited
     * @param initialBackoff  first wait after a transient failure
     * @param maxBackoff      longest wait between two attempts
     * @param giveUpAfter     a delivery still failing transiently this long after its batch started is FAILED
     *                        (an admin can retry it); keep it below the consumer's max.poll.interval.ms
     * @param lease           how long a SENDING claim protects a delivery from another instance; must exceed the
     *                        longest SMTP exchange (see the mail timeouts)
     * @param sweepInterval   how often deliveries left PENDING, or SENDING under a long-expired claim, longer than
     *                        giveUpAfter + lease (their order was dead-lettered, or its batch given up) are ordered
     *                        again
     */
    public record Smtp(
            @DefaultValue("4") @Positive int concurrency,
            @DefaultValue("50") @PositiveOrZero double ratePerSecond,
            @DefaultValue("500ms") @DurationMin(millis = 1) Duration initialBackoff,
            @DefaultValue("10s") @DurationMin(millis = 1) Duration maxBackoff,
            @DefaultValue("4m") @DurationMin(millis = 1) Duration giveUpAfter,
            @DefaultValue("60s") @DurationMin(millis = 1) Duration lease,
            @DefaultValue("1m") @DurationMin(millis = 1) Duration sweepInterval) {
    }

    /**
     * @param pageSize subscribers read (and delivery messages produced) per step; the cursor is saved after each
     * @param lease    an announcement whose fan-out has not progressed for this long is resumed by another run
     * @param resumeInterval how often unfinished fan-outs are looked for
     */
    public record Fanout(
            @DefaultValue("500") @Positive int pageSize,
            @DefaultValue("60s") @DurationMin(millis = 1) Duration lease,
            @DefaultValue("10s") @DurationMin(millis = 1) Duration resumeInterval) {
    }

    /**
     * @param perAddress       subscription requests allowed per address ...
     * @param perAddressPeriod ... in this period
     * @param perClient        requests allowed per client IP ...
     * @param perClientPeriod  ... in this period
     */
    public record RateLimit(
            @DefaultValue("3") @Positive int perAddress,
            @DefaultValue("1h") @DurationMin(millis = 1) Duration perAddressPeriod,
            @DefaultValue("20") @Positive int perClient,
            @DefaultValue("1m") @DurationMin(millis = 1) Duration perClientPeriod) {
    }

    /**
     * @param address the base of the envelope sender (MAIL FROM) of every email: {@code local@domain} is sent as
     *                {@code local+<token>@domain}, the token naming the subscriber (VERP), so that a bounce names who
     *                it is about; the mail server must deliver {@code local+anything@domain} to the mailbox of
     *                {@code local@domain} (Postfix's recipient_delimiter, the "+" of most providers). Empty: the
     *                envelope sender is the From address, as without VERP, and nothing is learnt from bounces
     * @param mailbox the mailbox receiving the bounces (the DSNs), read on a schedule when enabled
     */
    public record Bounces(String address, @DefaultValue @Valid Mailbox mailbox) {
    }

    /**
     * A mailbox read on a schedule: the one receiving what is sent to the {@code mailto:} of List-Unsubscribe, the one
     * receiving the bounces.
     *
     * @param enabled      false: the mailbox is never read (for the unsubscribe one, the mailto is then not offered)
     * @param protocol     imaps or pop3s in production; imap and pop3 send the password in clear unless STARTTLS
     *                     protects them (see starttls)
     * @param host         the mail server
     * @param port         its port for that protocol
     * @param username     the mailbox's login
     * @param password     its password (from the environment in any real deployment)
     * @param folder       the folder read (POP3 has only INBOX)
     * @param pollInterval time between the end of a poll and the start of the next
     * @param maxPerPoll   messages handled per poll at most, so that a flood is worked through a slice at a time
     * @param timeout      connect and read timeout of the mail server
     * @param starttls     imap and pop3 only (imaps and pop3s are TLS from the start): whether the connection is
     *                     upgraded to TLS with STARTTLS (STLS for POP3) before the password is sent
     */
    public record Mailbox(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("imap") Protocol protocol,
            @DefaultValue("127.0.0.1") String host,
            @DefaultValue("1143") @Positive @Max(65535) int port,
            String username,
            String password,
            @DefaultValue("INBOX") String folder,
            @DefaultValue("15s") @DurationMin(millis = 1) Duration pollInterval,
            @DefaultValue("100") @Positive int maxPerPoll,
            @DefaultValue("10s") @DurationMin(millis = 1) Duration timeout,
            @DefaultValue("when-offered") Starttls starttls) {

        /** The Jakarta Mail store protocols. */
        public enum Protocol {
            IMAP, IMAPS, POP3, POP3S;

            public String storeName() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }

            /** TLS from the first byte (no STARTTLS needed). */
            public boolean implicitTls() {
                return this == IMAPS || this == POP3S;
            }
        }

        /**
         * OFF: never (a server on the same host); WHEN_OFFERED: when the server announces it, else in clear (the
         * local GreenMail offers none); REQUIRED: a server that does not offer it is not logged in to at all, the
         * setting for a plain-port server anywhere else.
         */
        public enum Starttls {
            OFF, WHEN_OFFERED, REQUIRED
        }
    }
}
