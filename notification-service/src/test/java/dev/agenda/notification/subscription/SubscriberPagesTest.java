package dev.agenda.notification.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import dev.agenda.infra.browser.AxeAudit;
import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.mail.Templates;

/** What a subscriber sees and can do on the pages behind the emails' links, in French, without JavaScript. */
class SubscriberPagesTest {

    private static final String TOKEN = "manage-token";
    private static final String AGENDA_PAGE = "https://site.example/agenda/#abonnement";

    private final SubscriptionService service = mock(SubscriptionService.class);
    private final CategoryCatalog catalog = mock(CategoryCatalog.class);
    private MockMvc mvc;

    @BeforeEach
    void pages() {
        // A link this test does not name is one the service does not know.
        when(service.confirmLink(any())).thenReturn(SubscriptionService.ConfirmLink.INVALID);
        NotificationProperties properties = new NotificationProperties(URI.create("https://n.example"),
                URI.create("https://site.example/"), List.of(), null, Duration.ofDays(7), Duration.ofHours(1),
                null, null, null, null, null, null);
        LinkTokens tokens = new LinkTokens("a-key-of-at-least-thirty-two-characters!");
        mvc = MockMvcBuilders.standaloneSetup(new SubscriptionPagesController(service,
                new SubscriptionLinks(tokens, properties), new Templates(), catalog)).build();
        when(catalog.categories()).thenReturn(List.of("Atelier", "Conférence"));
        when(catalog.tags()).thenReturn(List.of("Accessibilité", "Données publiques"));
        when(service.updatePreferences(anyString(), any())).thenReturn(true);
    }

    private void subscribed(SubscriberStatus status, Preferences preferences) {
        Instant now = Instant.parse("2026-11-01T10:00:00Z");
        when(service.manage(TOKEN)).thenReturn(Optional.of(new Subscriber("6f1c2d3e-0000-4000-8000-00000000a5a1", "ana@example.org", status, preferences,
                now, now, null, null, Subscriber.FORM, 1)));
        when(service.validManageToken(TOKEN)).thenReturn(true);
    }

    @Test
    void boxesTickedWhileEverythingIsStillSelectedAreNotDroppedUnderASavedMessage() throws Exception {
        // As the site's form subscribes people: to everything. They tick a box and save, missing the radio above.
        subscribed(SubscriberStatus.CONFIRMED, Preferences.everythingPreferences());

        mvc.perform(post(SubscriptionLinks.PREFERENCES_PATH).param("token", TOKEN).param("mode", "all")
                .param("categories", "Atelier"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(Matchers.containsString("Rien n'a été enregistré")))
                // The title is what a screen reader announces first when the page loads again.
                .andExpect(content().string(Matchers.containsString(
                        "<title>Rien n’a été enregistré – Vos préférences – Agenda</title>")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("sont enregistrées"))))
                // Shown again as sent, with « seulement … » selected: one more click saves what they meant.
                .andExpect(content().string(Matchers.containsString(
                        "<input type=\"checkbox\" name=\"categories\" value=\"Atelier\" checked>")))
                .andExpect(content().string(Matchers.containsString(
                        "<input type=\"radio\" name=\"mode\" value=\"chosen\" checked>")));
        verify(service, never()).updatePreferences(anyString(), any());
    }

    @Test
    void switchingToEverythingWithTheCurrentChoiceStillTickedSavesEverything() throws Exception {
        subscribed(SubscriberStatus.CONFIRMED, Preferences.of(List.of("atelier"), List.of("accessibilité")));

        mvc.perform(post(SubscriptionLinks.PREFERENCES_PATH).param("token", TOKEN).param("mode", "all")
                .param("categories", "Atelier").param("tags", "Accessibilité"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Vos préférences sont enregistrées")));
        verify(service).updatePreferences(TOKEN, Preferences.everythingPreferences());
    }

    @Test
    void themesAreOfferedAsBoxesNamedAsOnTheSite() throws Exception {
        subscribed(SubscriberStatus.CONFIRMED, Preferences.of(List.of(), List.of("accessibilite", "logiciel libre")));

        mvc.perform(get(SubscriptionLinks.PREFERENCES_PATH).param("token", TOKEN))
                .andExpect(status().isOk())
                // The site labels an event's tags « Thèmes » and its categories « Type ».
                .andExpect(content().string(Matchers.containsString("<legend>Thèmes</legend>")))
                .andExpect(content().string(Matchers.containsString("<legend>Types d'événement</legend>")))
                .andExpect(content().string(Matchers.containsString(
                        "<input type=\"checkbox\" name=\"tags\" value=\"Accessibilité\" checked> Accessibilité")))
                .andExpect(content().string(Matchers.containsString(
                        "<input type=\"checkbox\" name=\"tags\" value=\"Données publiques\" > Données publiques")))
                // A theme no event carries (any more) stays, in the free-text field, so that saving keeps it.
                .andExpect(content().string(Matchers.containsString(
                        "name=\"otherTags\" value=\"logiciel libre\"")));

        mvc.perform(post(SubscriptionLinks.PREFERENCES_PATH).param("token", TOKEN).param("mode", "chosen")
                .param("tags", "Données publiques").param("otherTags", "logiciel libre, Tech"))
                .andExpect(status().isOk());
        verify(service).updatePreferences(eq(TOKEN),
                eq(new Preferences(false, Set.of(), Set.of("données publiques", "logiciel libre", "tech"))));
    }

    @Test
    void aTopicHoldingACommaStaysOneTopicTickedAloneOrKeptInTheFreeText() throws Exception {
        when(catalog.categories()).thenReturn(List.of("Atelier", "Santé, social"));
        subscribed(SubscriberStatus.CONFIRMED, Preferences.of(List.of(), List.of("culture, patrimoine", "ia")));

        // One box alone: sent as one value, bound to a list it was split into « santé » and « social ».
        mvc.perform(post(SubscriptionLinks.PREFERENCES_PATH).param("token", TOKEN).param("mode", "chosen")
                .param("categories", "Santé, social")).andExpect(status().isOk());
        verify(service).updatePreferences(eq(TOKEN),
                eq(new Preferences(false, Set.of("santé, social"), Set.of())));

        // A topic with a comma, not offered as a box, is shown quoted: saving the page unchanged keeps it whole.
        mvc.perform(get(SubscriptionLinks.PREFERENCES_PATH).param("token", TOKEN))
                .andExpect(content().string(Matchers.containsString(
                        "name=\"otherTags\" value=\"&quot;culture, patrimoine&quot;, ia\"")));
        mvc.perform(post(SubscriptionLinks.PREFERENCES_PATH).param("token", TOKEN).param("mode", "chosen")
                .param("otherTags", "\"culture, patrimoine\", ia")).andExpect(status().isOk());
        verify(service).updatePreferences(eq(TOKEN),
                eq(new Preferences(false, Set.of(), Set.of("culture, patrimoine", "ia"))));
        // Typed by hand, a quote never closed: every comma separates.
        assertThat(SubscriptionPagesController.split("\"a, b")).containsExactly("\"a", "b");
    }

    @Test
    void aTypedTopicTooLongToKeepIsRefusedRatherThanDroppedWithoutAWord() throws Exception {
        subscribed(SubscriberStatus.CONFIRMED, Preferences.everythingPreferences());
        mvc.perform(post(SubscriptionLinks.PREFERENCES_PATH).param("token", TOKEN).param("mode", "chosen")
                .param("otherTags", "a".repeat(Preferences.MAX_LENGTH + 1) + ", court"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(Matchers.containsString("fait au plus 80 caractères")));
        verify(service, never()).updatePreferences(anyString(), any());
    }

    @Test
    void formsAndLinksBetweenThePagesAreRelativeSoThatAPathPrefixOfAProxyIsKept() throws Exception {
        subscribed(SubscriberStatus.CONFIRMED, Preferences.everythingPreferences());
        mvc.perform(get(SubscriptionLinks.PREFERENCES_PATH).param("token", TOKEN))
                .andExpect(content().string(Matchers.containsString("<form method=\"post\" action=\"preferences\">")));
        mvc.perform(get(SubscriptionLinks.UNSUBSCRIBE_PATH).param("token", TOKEN))
                .andExpect(content().string(Matchers.containsString("<form method=\"post\" action=\"unsubscribe\">")))
                .andExpect(content().string(Matchers.containsString("href=\"preferences?token=" + TOKEN + "\"")));
    }

    @Test
    void moreThemesTickedThanAChoiceHoldsAreRefusedRatherThanCutWithoutAWord() throws Exception {
        subscribed(SubscriberStatus.CONFIRMED, Preferences.everythingPreferences());
        var request = post(SubscriptionLinks.PREFERENCES_PATH).param("token", TOKEN).param("mode", "chosen");
        for (int i = 0; i < Preferences.MAX_VALUES + 1; i++) {
            request.param("tags", "Thème " + i);
        }
        mvc.perform(request)
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(Matchers.containsString("Rien n'a été enregistré : 50 types d'événement")));
        verify(service, never()).updatePreferences(anyString(), any());
    }

    @Test
    void theUnsubscribeLinkOfAnAddressAlreadyUnsubscribedSaysSoAndLeadsToTheForm() throws Exception {
        // The mail client's one-click came first; then the person follows the footer link of the same email.
        subscribed(SubscriberStatus.UNSUBSCRIBED, Preferences.everythingPreferences());

        mvc.perform(get(SubscriptionLinks.UNSUBSCRIBE_PATH).param("token", TOKEN))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Vous êtes désabonné(e)")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("<form"))))
                .andExpect(content().string(Matchers.containsString("href=\"" + AGENDA_PAGE + "\"")));
    }

    @Test
    void pagesThatSendPeopleToTheSiteLinkToItsSubscriptionForm() throws Exception {
        subscribed(SubscriberStatus.CONFIRMED, Preferences.everythingPreferences());
        mvc.perform(post(SubscriptionLinks.UNSUBSCRIBE_PATH).param("token", TOKEN))
                .andExpect(content().string(Matchers.containsString("Désabonnement effectué")))
                .andExpect(content().string(Matchers.containsString("href=\"" + AGENDA_PAGE + "\"")));
        mvc.perform(get(SubscriptionLinks.CONFIRM_PATH).param("token", "expired"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(Matchers.containsString("Lien invalide ou expiré")))
                .andExpect(content().string(Matchers.containsString("href=\"" + AGENDA_PAGE + "\"")));
    }

    @Test
    void theConfirmedPageLinksToThePreferencesOfTheSubscriptionJustConfirmed() throws Exception {
        Instant now = Instant.parse("2026-11-01T10:00:00Z");
        Subscriber confirmed = new Subscriber("6f1c2d3e-0000-4000-8000-00000000a5a1", "ana@example.org", SubscriberStatus.CONFIRMED,
                Preferences.everythingPreferences(), now, now, null, null, Subscriber.FORM, 3);
        when(service.confirmation("fresh")).thenReturn(new SubscriptionService.Confirmation(
                SubscriptionService.ConfirmOutcome.CONFIRMED, Optional.of(confirmed)));
        when(service.confirmation("used")).thenReturn(new SubscriptionService.Confirmation(
                SubscriptionService.ConfirmOutcome.ALREADY_CONFIRMED, Optional.empty()));

        mvc.perform(post(SubscriptionLinks.CONFIRM_PATH).param("token", "fresh"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Abonnement confirmé")))
                .andExpect(content().string(Matchers.containsString(
                        "href=\"https://n.example/subscriptions/preferences?token=")));
        // A confirmation link used again may be an earlier subscription's: it leads to no management link.
        mvc.perform(post(SubscriptionLinks.CONFIRM_PATH).param("token", "used"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Abonnement confirmé")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("/subscriptions/preferences"))));
    }

    @Test
    void aConfirmationLinkFollowedAgainSaysTheSubscriptionIsConfirmedWithoutAskingAgain() throws Exception {
        when(service.confirmLink("fresh")).thenReturn(SubscriptionService.ConfirmLink.TO_CONFIRM);
        when(service.confirmLink("used")).thenReturn(SubscriptionService.ConfirmLink.ALREADY_CONFIRMED);
        mvc.perform(get(SubscriptionLinks.CONFIRM_PATH).param("token", "fresh"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("<form")));
        mvc.perform(get(SubscriptionLinks.CONFIRM_PATH).param("token", "used"))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Abonnement déjà confirmé")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("<form"))))
                .andExpect(content().string(Matchers.not(Matchers.containsString("/subscriptions/preferences"))));
        verify(service, never()).confirmation(any());
    }

    /**
     * The pages a subscriber reads, audited by axe-core in a real browser (WCAG 2.1 AA: language, headings, labels of
     * the form's fields, link names, contrast of the rendered colours). The emails: {@code NoticeTextTest}.
     */
    @Test
    void everyPagePassesAnAccessibilityAudit(@TempDir Path profile, @TempDir Path pages)
            throws Exception {
        Map<String, String> html = new LinkedHashMap<>();
        when(service.confirmLink("fresh")).thenReturn(SubscriptionService.ConfirmLink.TO_CONFIRM);
        html.put("confirm", body(get(SubscriptionLinks.CONFIRM_PATH).param("token", "fresh")));
        Instant now = Instant.parse("2026-11-01T10:00:00Z");
        when(service.confirmation("fresh")).thenReturn(new SubscriptionService.Confirmation(
                SubscriptionService.ConfirmOutcome.CONFIRMED, Optional.of(new Subscriber(
                        "6f1c2d3e-0000-4000-8000-00000000a5a1", "ana@example.org", SubscriberStatus.CONFIRMED,
                        Preferences.everythingPreferences(), now, now, null, null, Subscriber.FORM, 3))));
        html.put("confirmed", body(post(SubscriptionLinks.CONFIRM_PATH).param("token", "fresh")));
        html.put("invalid link", body(get(SubscriptionLinks.CONFIRM_PATH).param("token", "expired")));
        subscribed(SubscriberStatus.CONFIRMED, new Preferences(false, Set.of("Atelier"), Set.of("Accessibilité")));
        html.put("preferences", body(get(SubscriptionLinks.PREFERENCES_PATH).param("token", TOKEN)));
        html.put("preferences refused", body(post(SubscriptionLinks.PREFERENCES_PATH).param("token", TOKEN)
                .param("mode", "chosen")));
        html.put("preferences saved", body(post(SubscriptionLinks.PREFERENCES_PATH).param("token", TOKEN)
                .param("mode", "chosen").param("tags", "Accessibilité")));
        html.put("unsubscribe", body(get(SubscriptionLinks.UNSUBSCRIBE_PATH).param("token", TOKEN)));
        html.put("unsubscribed", body(post(SubscriptionLinks.UNSUBSCRIBE_PATH).param("token", TOKEN)));

        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, String> page : html.entrySet()) {
            Path file = pages.resolve(page.getKey().replace(' ', '-') + ".html");
            Files.writeString(file, AxeAudit.withAudit(page.getValue()));
            AxeAudit.violations(file.toUri().toString(), profile)
                    .forEach(v -> violations.add(page.getKey() + ": " + v));
        }
        assertThat(violations).as("axe-core violations").isEmpty();
    }

    private String body(org.springframework.test.web.servlet.RequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }
}
