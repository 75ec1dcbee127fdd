package dev.agenda.notification.subscription;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import com.mongodb.MongoException;

import dev.agenda.notification.mail.Templates;
import dev.agenda.support.mongo.DatabaseOutages;

/**
 * The pages behind the links of the emails. A GET never changes anything (mail scanners follow links): confirming
 * and unsubscribing take a POST, from the page's button or, for unsubscribing, from the mail client itself
 * (RFC 8058 one-click, body {@code List-Unsubscribe=One-Click}).
 */
@Controller
class SubscriptionPagesController {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionPagesController.class);

    private final SubscriptionService service;
    private final SubscriptionLinks links;
    private final Templates templates;
    private final CategoryCatalog catalog;

    SubscriptionPagesController(SubscriptionService service, SubscriptionLinks links, Templates templates,
            CategoryCatalog catalog) {
        this.service = service;
        this.links = links;
        this.templates = templates;
        this.catalog = catalog;
    }

    @GetMapping(SubscriptionLinks.CONFIRM_PATH)
    ResponseEntity<String> confirmPage(@RequestParam(required = false) String token) {
        if (!service.confirmable(token)) {
            return invalidLink();
        }
        return page(HttpStatus.OK, "pages/confirm.html",
                Map.of("token", token, "action", SubscriptionLinks.CONFIRM_PATH));
    }

    @PostMapping(SubscriptionLinks.CONFIRM_PATH)
    ResponseEntity<String> confirm(@RequestParam(required = false) String token) {
        return switch (service.confirm(token)) {
            case CONFIRMED, ALREADY_CONFIRMED -> message(HttpStatus.OK, "Abonnement confirmé",
                    "Merci ! Vous recevrez les annonces des prochains événements de l'agenda. Chaque courriel contient "
                            + "un lien pour choisir ce que vous recevez ou vous désabonner.");
            case INVALID -> invalidLink();
        };
    }

    @GetMapping(SubscriptionLinks.PREFERENCES_PATH)
    ResponseEntity<String> preferencesPage(@RequestParam(required = false) String token) {
        return preferences(token, false);
    }

    @PostMapping(SubscriptionLinks.PREFERENCES_PATH)
    ResponseEntity<String> savePreferences(@RequestParam(required = false) String token,
            @RequestParam(defaultValue = "all") String mode,
            @RequestParam(required = false) List<String> categories,
            @RequestParam(defaultValue = "") String otherCategories,
            @RequestParam(defaultValue = "") String tags) {
        List<String> chosen = new ArrayList<>(categories == null ? List.of() : categories);
        chosen.addAll(split(otherCategories));
        Preferences preferences = "chosen".equals(mode)
                ? new Preferences(false, Set.copyOf(chosen), Set.copyOf(split(tags)))
                : new Preferences(true, Set.of(), Set.of());
        if (!preferences.everything() && preferences.categories().isEmpty() && preferences.tags().isEmpty()) {
            // Saved as is, this would silently stop every email: ask again rather than guess.
            return preferences(token, false, true);
        }
        if (!service.updatePreferences(token, preferences)) {
            return preferences(token, false);
        }
        return preferences(token, true);
    }

    private ResponseEntity<String> preferences(String token, boolean saved) {
        return preferences(token, saved, false);
    }

    private ResponseEntity<String> preferences(String token, boolean saved, boolean nothingChosen) {
        Subscriber subscriber = service.manage(token).orElse(null);
        if (subscriber == null) {
            return invalidLink();
        }
        if (!subscriber.isConfirmed()) {
            return message(HttpStatus.OK, "Pas d'abonnement actif",
                    "Cette adresse n'est pas (ou plus) abonnée à l'agenda. Vous pouvez vous réabonner depuis le site.");
        }
        Preferences p = subscriber.preferences();
        Set<String> known = new LinkedHashSet<>(catalog.categories());
        // Compared by key, as matching is: a choice spelled "evénement" ticks the box labelled "événement".
        Set<String> knownKeys = Preferences.keys(known);
        Set<String> chosenKeys = Preferences.keys(p.categories());
        List<String> checked = known.stream().filter(c -> chosenKeys.contains(Preferences.keyOf(c))).toList();
        List<String> other = p.categories().stream().filter(c -> !knownKeys.contains(Preferences.keyOf(c))).sorted()
                .toList();
        Map<String, Object> model = new HashMap<>();
        model.put("token", token);
        model.put("action", SubscriptionLinks.PREFERENCES_PATH);
        model.put("email", subscriber.email());
        model.put("everything", p.everything());
        model.put("knownCategories", List.copyOf(known));
        model.put("categories", checked);
        model.put("otherCategories", String.join(", ", other));
        model.put("tags", String.join(", ", p.tags().stream().sorted().toList()));
        model.put("saved", saved);
        model.put("nothingChosen", nothingChosen);
        model.put("unsubscribeUrl", links.unsubscribe(subscriber).toString());
        return page(nothingChosen ? HttpStatus.UNPROCESSABLE_CONTENT : HttpStatus.OK, "pages/preferences.html", model);
    }

    @GetMapping(SubscriptionLinks.UNSUBSCRIBE_PATH)
    ResponseEntity<String> unsubscribePage(@RequestParam(required = false) String token) {
        if (!service.validManageToken(token)) {
            return invalidLink();
        }
        return page(HttpStatus.OK, "pages/unsubscribe.html", Map.of("token", token,
                "action", SubscriptionLinks.UNSUBSCRIBE_PATH,
                "preferencesUrl", SubscriptionLinks.PREFERENCES_PATH + "?token=" + token));
    }

    /** Both the page's button and the one-click POST of mail clients land here. */
    @PostMapping(SubscriptionLinks.UNSUBSCRIBE_PATH)
    ResponseEntity<String> unsubscribe(@RequestParam(required = false) String token) {
        if (!service.validManageToken(token)) {
            return invalidLink();
        }
        service.unsubscribe(token);
        return message(HttpStatus.OK, "Désabonnement effectué",
                "Vous ne recevrez plus d'annonces de l'agenda. Vous pouvez vous réabonner à tout moment depuis le site.");
    }

    private static List<String> split(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * A database failure on a page: a page in the pages' language, instead of the API's problem document. MongoDB
     * unreachable ({@link DatabaseOutages}) says the link still works later (service-support answers the API the same
     * 503 and Retry-After); anything else is the service's fault, logged.
     */
    @ExceptionHandler({DataAccessException.class, MongoException.class})
    ResponseEntity<String> databaseFailure(RuntimeException e) {
        if (!DatabaseOutages.isUnavailable(e)) {
            log.error("Subscription page failed", e);
            return message(HttpStatus.INTERNAL_SERVER_ERROR, "Une erreur est survenue",
                    "Votre demande n'a pas pu être traitée. Réessayez dans quelques minutes.");
        }
        ResponseEntity<String> page = message(HttpStatus.SERVICE_UNAVAILABLE, "Service momentanément indisponible",
                "Votre demande n'a pas pu être traitée. Le lien reste valable : réessayez dans quelques minutes.");
        return ResponseEntity.status(page.getStatusCode()).headers(page.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseOutages.RETRY_AFTER_SECONDS))
                .body(page.getBody());
    }

    private ResponseEntity<String> invalidLink() {
        return message(HttpStatus.BAD_REQUEST, "Lien invalide ou expiré",
                "Ce lien n'est pas (ou plus) valable : un courriel plus récent l'a peut-être remplacé. Sinon, refaites la demande depuis le site.");
    }

    private ResponseEntity<String> message(HttpStatus status, String heading, String text) {
        return page(status, "pages/message.html", Map.of("heading", heading, "message", text));
    }

    /**
     * What these pages may do, for a browser: nothing but their own inline styles and posting their forms here. They
     * hold a token that acts on a subscription and show an address, so even markup that escaped the templates' escaping
     * could run nothing, load nothing (no request elsewhere carrying the URL) and be framed by no other site.
     */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private ResponseEntity<String> page(HttpStatus status, String template, Map<String, Object> model) {
        // The token is in the URL: never leak it to the site through the Referer of a link.
        return ResponseEntity.status(status).contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .body(templates.render(template, model));
    }
}
