package dev.agenda.publishing.site;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

@Configuration(proxyBeanMethods = false)
class SiteConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ListingRefresher listingRefresher(SitePublisher publisher) {
        return new ListingRefresher(publisher);
    }

    /** Pages written and the time spent rendering them, for Prometheus. */
    @Bean
    MeterBinder siteMetrics(SitePublisher publisher) {
        return registry -> {
            FunctionCounter.builder("agenda.site.pages.written", publisher, p -> p.status().pagesWritten())
                    .description("Files written (created or changed) since start, rebuilds included").register(registry);
            FunctionCounter.builder("agenda.site.events.skipped", publisher, p -> p.status().eventsSkipped())
                    .description("Stale or duplicate records ignored").register(registry);
            FunctionTimer.builder("agenda.site.render", publisher, p -> p.status().eventsApplied(),
                    SitePublisher::applyNanosTotal, TimeUnit.NANOSECONDS)
                    .description("Applying one change: rendering and writing every file that depends on it")
                    .register(registry);
            Gauge.builder("agenda.site.events.live", publisher, p -> p.status().eventsLive())
                    .description("Events currently on the site").register(registry);
            // A rebuild runs in the background and its failure only reached the log and the admin status: an alert
            // needs it as a number.
            Gauge.builder("agenda.site.rebuild.running", publisher, p -> p.status().rebuilding() ? 1 : 0)
                    .description("1 while a rebuild of the site from the events topic runs").register(registry);
            Gauge.builder("agenda.site.rebuild.failed", publisher, p -> p.status().lastRebuild() != null
                    && "FAILED".equals(p.status().lastRebuild().outcome()) ? 1 : 0)
                    .description("1 when the last rebuild failed (the previous build is still served)")
                    .register(registry);
        };
    }

    /** Events move from "upcoming" to "past" with time, not with messages. */
    static final class ListingRefresher {

        private final SitePublisher publisher;

        ListingRefresher(SitePublisher publisher) {
            this.publisher = publisher;
        }

        @Scheduled(initialDelayString = "${agenda.site.listing-refresh:60s}",
                fixedDelayString = "${agenda.site.listing-refresh:60s}")
        void refresh() {
            publisher.refreshListings();
        }

        /** Writes the listings of a burst of changes once it pauses (see {@link SitePublisher#apply}). */
        @Scheduled(fixedDelay = 25)
        void flushBurst() {
            publisher.flushDeferred();
        }
    }
}
