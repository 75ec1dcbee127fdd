package dev.agenda.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.springframework.data.mongodb.core.MongoTemplate;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import dev.agenda.infra.LocalInfrastructure;
import dev.agenda.notification.subscription.Preferences;
import dev.agenda.notification.subscription.Subscriber;
import dev.agenda.notification.subscription.SubscriberStatus;

/**
 * A notification service of a test's own, started beside the shared test context (in a child JVM or a context of
 * its own): its own database and consumer groups, and confirmed subscribers in a category and a mail domain of its
 * own, whom the shared context (another database) knows nothing of. Its groups read the topics from the start: the
 * other tests' orders are recorded SKIPPED there, none of their subscribers being in its database.
 *
 * @param name what its database, groups and category are named after ("crash", "stop")
 */
record OwnInstance(String name, String run, List<String> addresses) {

    /** An instance with {@code recipients} confirmed subscribers, stored before it starts. */
    static OwnInstance withSubscribers(String name, int recipients) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String domain = name + "-" + run + ".test";
        OwnInstance instance = new OwnInstance(name, run,
                IntStream.range(0, recipients).mapToObj(i -> "r" + i + "@" + domain).toList());
        Instant confirmed = Instant.now().minus(Duration.ofHours(1));
        try (MongoClient client = MongoClients.create(LocalInfrastructure.shared().mongo().uri())) {
            new MongoTemplate(client, instance.database()).insert(instance.addresses.stream()
                    .map(a -> new Subscriber(UUID.randomUUID().toString(), a, SubscriberStatus.CONFIRMED,
                            Preferences.of(List.of(instance.category()), List.of()), confirmed, confirmed, null,
                            null, Subscriber.IMPORT, 1))
                    .toList(), "subscribers");
        }
        return instance;
    }

    String database() {
        return "agenda_notifications_" + name + "_" + run;
    }

    String category() {
        return name + "-" + run;
    }

    /** The mail domain of its subscribers' addresses: what tells its emails in the shared sink. */
    String domain() {
        return name + "-" + run + ".test";
    }

    String deliveriesGroup() {
        return name + "-deliveries-" + run;
    }

    /** Its command line: the local infrastructure, its database and groups, then {@code settings}. */
    List<String> args(String... settings) {
        List<String> args = new ArrayList<>();
        LocalInfrastructure.shared().springProperties().forEach((k, v) -> args.add("--" + k + "=" + v));
        args.addAll(List.of(
                "--spring.mongodb.database=" + database(),
                "--agenda.notification.events-group=" + name + "-events-" + run,
                "--agenda.notification.deliveries-group=" + deliveriesGroup(),
                "--agenda.notification.token-key=" + name + "-test-key-0123456789-0123456789-0123",
                "--agenda.security.admin-password=" + name,
                // Its token key is not the shared context's: reading the shared unsubscribe mailbox, it would take
                // the other tests' requests for forgeries and delete them.
                "--agenda.notification.unsubscribe-mailbox.enabled=false"));
        args.addAll(List.of(settings));
        return args;
    }
}
