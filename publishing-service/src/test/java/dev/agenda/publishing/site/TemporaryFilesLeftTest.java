package dev.agenda.publishing.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.agenda.publishing.event.EventChange;
import dev.agenda.publishing.event.SiteEvent;

/**
 * A service killed between writing a temporary file and renaming it over its page leaves that file in the served
 * directory; the next start removes it. Before, nothing ever did, and the web server served the half-written page.
 */
class TemporaryFilesLeftTest {

    private static final Instant NOW = Instant.parse("2023-06-01T12:00:00Z");

    @Test
    void theTemporaryFilesOfAKilledRunAreRemovedAtTheNextStartAndTheSiteKept(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        SitePublisherTest.MemoryStore store = new SitePublisherTest.MemoryStore();
        SitePublisher first = new SitePublisher(store, new SitePublisherTest.ListLog(),
                SitePublisherTest.properties(out), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ZERO, Duration.ZERO);
        first.apply(new EventChange.Published(new SiteEvent("e1", 1, false, "forum", "Forum", "Chapeau", "Atelier",
                List.of(), List.of(), List.of(), NOW.plus(Duration.ofDays(3)), NOW.plus(Duration.ofDays(3).plusHours(1)),
                "Europe/Paris", null, List.of(), List.of(), "Corps", NOW, NOW, null)));
        Path served = first.currentLink().toRealPath();
        Path page = served.resolve("agenda/forum/index.html");
        assertThat(page).exists();
        // What a kill -9 in the middle of AtomicFiles#write and of the link's swap leaves behind.
        Path halfPage = Files.writeString(page.resolveSibling(".index.html.5f3a9c2e1b-17.tmp"), "<html><bo");
        Path halfListing = Files.writeString(served.resolve(".index.html.5f3a9c2e1b-18.tmp"), "<html>");
        Path halfLink = Files.createSymbolicLink(out.resolve(".current-0b7c.tmp"), out.relativize(served));

        SitePublisher second = new SitePublisher(store, new SitePublisherTest.ListLog(),
                SitePublisherTest.properties(out), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ZERO, Duration.ZERO);

        assertThat(halfPage).doesNotExist();
        assertThat(halfListing).doesNotExist();
        assertThat(Files.exists(halfLink, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(second.currentLink().toRealPath()).isEqualTo(served);
        assertThat(Files.readString(page)).contains("Forum");
        assertThat(served.resolve("index.html")).exists();
    }
}
