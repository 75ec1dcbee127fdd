package dev.agenda.notification.subscription;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.springframework.stereotype.Component;

import dev.agenda.notification.NotificationProperties;

/** The public pages' URLs, each carrying a signed token. */
@Component
public class SubscriptionLinks {

    static final String CONFIRM_PATH = "/subscriptions/confirm";
    static final String PREFERENCES_PATH = "/subscriptions/preferences";
    static final String UNSUBSCRIBE_PATH = "/subscriptions/unsubscribe";

    private final LinkTokens tokens;
    private final String base;
    private final URI subscriptionForm;

    SubscriptionLinks(LinkTokens tokens, NotificationProperties properties) {
        this.tokens = tokens;
        this.base = properties.publicBaseUrl().toString().replaceAll("/+$", "");
        this.subscriptionForm = URI.create(properties.siteBaseUrl().toString().replaceAll("/+$", "")
                + "/agenda/#abonnement");
    }

    /** The site's agenda page, at its subscription form (publishing-service, listing.peb). */
    public URI subscriptionForm() {
        return subscriptionForm;
    }

    public URI confirm(String subscriberId, Instant expiresAt) {
        return url(CONFIRM_PATH, tokens.issue(LinkTokens.Purpose.CONFIRM, subscriberId, expiresAt));
    }

    /** For the subscription the record holds now: useless once a later one replaces it (see Subscriber#epoch). */
    public String manageToken(Subscriber subscriber) {
        return tokens.issue(LinkTokens.Purpose.MANAGE, subscriber.id(), null, subscriber.epoch());
    }

    public URI preferences(Subscriber subscriber) {
        return preferencesWith(manageToken(subscriber));
    }

    public URI unsubscribe(Subscriber subscriber) {
        return unsubscribeWith(manageToken(subscriber));
    }

    /** With a token from {@link #manageToken}: an email carrying three links signs once. */
    public URI preferencesWith(String manageToken) {
        return url(PREFERENCES_PATH, manageToken);
    }

    public URI unsubscribeWith(String manageToken) {
        return url(UNSUBSCRIBE_PATH, manageToken);
    }

    private URI url(String path, String token) {
        return URI.create(base + path + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }
}
