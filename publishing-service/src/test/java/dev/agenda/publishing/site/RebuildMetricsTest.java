package dev.agenda.publishing.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Whether a rebuild runs and whether the last one failed are metrics, so that a failed rebuild (the log unreachable)
 * can raise an alert; before, only the log and the admin status told.
 */
class RebuildMetricsTest {

    @Test
    void aFailedRebuildShowsInTheMetricsUntilOneSucceeds(@TempDir Path dir) {
        SitePublisherTest.ListLog records = new SitePublisherTest.ListLog();
        boolean[] unreachable = {true};
        EventLog log = () -> {
            if (unreachable[0]) {
                throw new IllegalStateException("events topic unreachable");
            }
            return records.replay();
        };
        SitePublisher publisher = new SitePublisher(new SitePublisherTest.MemoryStore(), log,
                SitePublisherTest.properties(dir.resolve("out")), Clock.fixed(Instant.parse("2023-06-01T12:00:00Z"),
                        ZoneOffset.UTC), Duration.ZERO, Duration.ZERO);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SiteConfiguration().siteMetrics(publisher).bindTo(registry);
        assertThat(registry.get("agenda.site.rebuild.failed").gauge().value()).isZero();
        assertThat(registry.get("agenda.site.rebuild.running").gauge().value()).isZero();

        assertThat(publisher.startRebuild()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> publisher.status().lastRebuild() != null
                && !publisher.status().rebuilding());
        assertThat(registry.get("agenda.site.rebuild.failed").gauge().value()).isEqualTo(1.0);

        unreachable[0] = false;
        assertThat(publisher.startRebuild()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> "SUCCEEDED".equals(publisher.status().lastRebuild().outcome())
                && !publisher.status().rebuilding());
        assertThat(registry.get("agenda.site.rebuild.failed").gauge().value()).isZero();
    }
}
