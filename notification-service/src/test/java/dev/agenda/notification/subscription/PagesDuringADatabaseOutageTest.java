package dev.agenda.notification.subscription;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.mail.Templates;

/**
 * Someone following an email's link while MongoDB is down gets a page saying to come back (503, Retry-After), in
 * French like every other page, not an error document.
 */
class PagesDuringADatabaseOutageTest {

    @Test
    void aLinkFollowedWhileTheDatabaseIsDownShowsAPageSayingToComeBack() throws Exception {
        SubscriptionService service = mock(SubscriptionService.class);
        when(service.confirmLink(any())).thenThrow(
                new DataAccessResourceFailureException("Timed out after 30000 ms while waiting for a server"));
        NotificationProperties properties = new NotificationProperties(URI.create("https://n.example"),
                URI.create("https://site.example"), List.of(), null, Duration.ofDays(7), Duration.ofHours(1),
                null, null, null, null, null, null);
        LinkTokens tokens = new LinkTokens("a-key-of-at-least-thirty-two-characters!");
        MockMvc mvc = MockMvcBuilders.standaloneSetup(new SubscriptionPagesController(service,
                new SubscriptionLinks(tokens, properties), new Templates(), mock(CategoryCatalog.class))).build();

        mvc.perform(get(SubscriptionLinks.CONFIRM_PATH).param("token", "abc").accept(MediaType.TEXT_HTML))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "30"))
                .andExpect(header().string("Referrer-Policy", "no-referrer"))
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                .andExpect(content().string(Matchers.containsString("Service momentanément indisponible")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("30000 ms"))));
    }

    @Test
    void aDatabaseFailureThatIsNotAnOutageIsAnErrorPageNotAnInvitationToComeBack() throws Exception {
        SubscriptionService service = mock(SubscriptionService.class);
        when(service.confirmLink(any())).thenThrow(
                new org.springframework.dao.InvalidDataAccessApiUsageException("Invalid query on subscribers"));
        NotificationProperties properties = new NotificationProperties(URI.create("https://n.example"),
                URI.create("https://site.example"), List.of(), null, Duration.ofDays(7), Duration.ofHours(1),
                null, null, null, null, null, null);
        MockMvc mvc = MockMvcBuilders.standaloneSetup(new SubscriptionPagesController(service,
                new SubscriptionLinks(new LinkTokens("a-key-of-at-least-thirty-two-characters!"), properties),
                new Templates(), mock(CategoryCatalog.class))).build();

        mvc.perform(get(SubscriptionLinks.CONFIRM_PATH).param("token", "abc").accept(MediaType.TEXT_HTML))
                .andExpect(status().isInternalServerError())
                .andExpect(header().doesNotExist("Retry-After"))
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                .andExpect(content().string(Matchers.containsString("Une erreur est survenue")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("Invalid query"))));
    }
}
