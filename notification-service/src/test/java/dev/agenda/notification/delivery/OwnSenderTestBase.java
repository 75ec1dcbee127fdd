package dev.agenda.notification.delivery;

import java.time.Clock;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.TaskScheduler;

import dev.agenda.notification.IntegrationTestBase;
import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.bounce.BounceService;
import dev.agenda.notification.event.EventStateStore;
import dev.agenda.notification.mail.MailComposer;
import dev.agenda.notification.mail.SmtpSender;
import dev.agenda.notification.subscription.ReturnPaths;
import dev.agenda.notification.subscription.SubscriberStore;
import dev.agenda.notification.subscription.SubscriptionLinks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Tests that drive a {@link DeliveryService} of their own, on the application's stores, with the SMTP sender (a
 * scripted server, a sender held at a given point) and the order publisher they choose.
 */
abstract class OwnSenderTestBase extends IntegrationTestBase {

    @Autowired
    DeliveryStore store;
    @Autowired
    SubscriberStore subscribers;
    @Autowired
    EventStateStore events;
    @Autowired
    SubscriptionLinks links;
    @Autowired
    MailComposer composer;
    @Autowired
    NotificationProperties properties;
    @Autowired
    TaskScheduler scheduler;
    @Autowired
    NoticeDecisions notices;
    @Autowired
    ReturnPaths returnPaths;
    @Autowired
    BounceService bounces;

    DeliveryService serviceWith(SmtpSender sender, DeliveryRequestPublisher publisher) {
        return new DeliveryService(store, subscribers, events, links, composer, sender, publisher, properties,
                Clock.systemUTC(), new SimpleMeterRegistry(), scheduler, notices, returnPaths, bounces);
    }
}
