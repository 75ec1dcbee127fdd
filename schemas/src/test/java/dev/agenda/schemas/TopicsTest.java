package dev.agenda.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicsTest {

    /**
     * A consumer stopped for longer than a compacted topic keeps its tombstones misses the deletions made meanwhile
     * for good. Kafka's one day was shorter than a long weekend's outage.
     */
    @Test
    void theEventsTopicKeepsItsTombstonesLongerThanAConsumerMayBeAway() {
        NewTopic events = Topics.EVENTS.toNewTopic();

        assertThat(events.configs()).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        assertThat(Duration.ofMillis(Long.parseLong(events.configs().get(TopicConfig.DELETE_RETENTION_MS_CONFIG))))
                .isGreaterThanOrEqualTo(Duration.ofDays(7));
    }

    @Test
    void theOtherTopicsKeepTheirRecordsForABoundedTime() {
        for (Topics.TopicSpec spec : new Topics.TopicSpec[] {Topics.DELIVERIES, Topics.EVENTS_DLT, Topics.DELIVERIES_DLT}) {
            NewTopic topic = spec.toNewTopic();
            assertThat(topic.configs()).as(spec.name())
                    .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)
                    .containsEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(spec.retention().toMillis()))
                    .doesNotContainKey(TopicConfig.DELETE_RETENTION_MS_CONFIG);
        }
    }
}
