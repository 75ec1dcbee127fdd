package dev.agenda.notification.subscription;

import java.time.Clock;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.TaskScheduler;

import dev.agenda.notification.IntegrationTestBase;
import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.mail.MailComposer;
import dev.agenda.notification.mail.SmtpSender;

/**
 * Tests that drive a {@link SubscriptionService} of their own, on the application's beans, with the store, SMTP
 * sender, settings and clock they choose. Each stops its service when done (its mailer threads).
 */
abstract class OwnSubscriptionServiceTestBase extends IntegrationTestBase {

    @Autowired
    SubscriberStore store;
    @Autowired
    LinkTokens tokens;
    @Autowired
    SubscriptionLinks links;
    @Autowired
    MailComposer composer;
    @Autowired
    SmtpSender sender;
    @Autowired
    NotificationProperties properties;
    @Autowired
    TaskScheduler scheduler;

    SubscriptionService serviceWith(SubscriberStore store, SmtpSender sender, NotificationProperties settings,
            Clock clock) {
        return new SubscriptionService(store, tokens, links, new ReturnPaths(tokens, settings), composer, sender,
                settings, clock, scheduler);
    }
}
