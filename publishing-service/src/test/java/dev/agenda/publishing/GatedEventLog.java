package dev.agenda.publishing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import dev.agenda.publishing.event.EventChange;
import dev.agenda.publishing.site.EventLog;

/**
 * The real Kafka event log, with a gate a test can close to hold a rebuild at its catch-up (every read of a replay
 * after the first, which the publisher does with its lock held, once the fresh directory is written and before the
 * swap): the test then looks at the site while the rebuild is truly under way, without sleeping. Open by default.
 */
public final class GatedEventLog implements EventLog {

    private final EventLog delegate;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile CountDownLatch arrived = new CountDownLatch(1);

    GatedEventLog(EventLog delegate) {
        this.delegate = delegate;
    }

    /** The next rebuild stops before its catch-up until {@link #open()}. */
    public void close() {
        arrived = new CountDownLatch(1);
        gate = new CountDownLatch(1);
    }

    public void open() {
        gate.countDown();
    }

    /** Whether a rebuild is waiting at the closed gate. */
    public boolean rebuildWaiting() {
        return arrived.getCount() == 0 && gate.getCount() > 0;
    }

    @Override
    public Replay replay() {
        Replay replay = delegate.replay();
        return new Replay() {
            private boolean first = true;

            @Override
            public void readToEnd(Consumer<EventChange> sink) {
                if (!first) {
                    arrived.countDown();
                    try {
                        // Bounded: a test that forgets to open the gate fails, it does not hang the build.
                        if (!gate.await(60, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("Rebuild gate left closed");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                first = false;
                replay.readToEnd(sink);
            }

            @Override
            public void close() {
                replay.close();
            }
        };
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Configuration {

        @Bean
        @Primary
        GatedEventLog gatedEventLog(@Qualifier("kafkaEventLog") EventLog kafka) {
            return new GatedEventLog(kafka);
        }
    }
}
