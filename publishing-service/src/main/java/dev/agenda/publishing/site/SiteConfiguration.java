package dev.agenda.publishing.site;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

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
    }
}
