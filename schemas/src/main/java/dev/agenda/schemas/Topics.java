package dev.agenda.schemas;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every topic of Agenda, its partitioning and its cleanup policy, in one place. The service that owns a topic
 * declares it as a {@code NewTopic} bean from here, so the broker-side settings never drift between services.
 */
public final class Topics {

    /** Full public state of each event, keyed by eventId; compacted so a replay from offset 0 rebuilds every read model. */
    public static final TopicSpec EVENTS = new TopicSpec("agenda.events", 3, TopicConfig.CLEANUP_POLICY_COMPACT, null);

    /** One message per email to send, keyed by subscriberId so several notification instances share the sending. */
    public static final TopicSpec DELIVERIES = new TopicSpec("agenda.deliveries", 6, TopicConfig.CLEANUP_POLICY_DELETE,
            Duration.ofDays(7));

    /** Dead letters of {@link #EVENTS}, same partition count so a record keeps its partition number. */
    public static final TopicSpec EVENTS_DLT = EVENTS.deadLetter();

    /** Dead letters of {@link #DELIVERIES}. */
    public static final TopicSpec DELIVERIES_DLT = DELIVERIES.deadLetter();

    public static final String DEAD_LETTER_SUFFIX = "-dlt";

    /**
     * How long a compacted topic keeps a tombstone once the cleaner reaches it. Kafka's default, one day, let a
     * consumer stopped for longer than that (a publishing-service down over a long weekend, a group whose offsets
     * expired and replays from 0) miss an event's deletion for good: the record and its tombstone gone, the event
     * stayed on the site and its subscribers were never told. A tombstone costs a few bytes.
     */
    public static final Duration TOMBSTONE_RETENTION = Duration.ofDays(30);

    private Topics() {
    }

    public static List<TopicSpec> all() {
        return List.of(EVENTS, EVENTS_DLT, DELIVERIES, DELIVERIES_DLT);
    }

    /** Name, partitions, cleanup policy and optional retention of one topic. */
    public record TopicSpec(String name, int partitions, String cleanupPolicy, Duration retention) {

        public TopicSpec deadLetter() {
            return new TopicSpec(name + DEAD_LETTER_SUFFIX, partitions, TopicConfig.CLEANUP_POLICY_DELETE,
                    Duration.ofDays(14));
        }

        public String valueSubject() {
            return name + "-value";
        }

        /** Replication is left to the broker's {@code default.replication.factor}: 1 locally, 3 in production. */
        public NewTopic toNewTopic() {
            NewTopic topic = new NewTopic(name, Optional.of(partitions), Optional.empty());
            return topic.configs(configs());
        }

        /** The topic-level settings: cleanup policy, and retention of records (delete) or of tombstones (compact). */
        public Map<String, String> configs() {
            Map<String, String> configs = new java.util.LinkedHashMap<>();
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy);
            if (retention != null) {
                configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
            }
            if (cleanupPolicy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                configs.put(TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(TOMBSTONE_RETENTION.toMillis()));
            }
            return Map.copyOf(configs);
        }
    }
}
