package dev.agenda.notification.subscription;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
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
import org.springframework.util.MultiValueMap;
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

    private static final String EVERY_EMAIL_HAS_LINKS =
            "Chaque courriel contient un lien pour choisir ce que vous recevez ou vous désabonner.";

    @GetMapping(SubscriptionLinks.CONFIRM_PATH)
    ResponseEntity<String> confirmPage(@RequestParam(required = false) String token) {
        return switch (service.confirmLink(token)) {
            case TO_CONFIRM -> page(HttpStatus.OK, "pages/confirm.html",
                    Map.of("token", token, "action", relative(SubscriptionLinks.CONFIRM_PATH)));
            // The link followed again (from the email, days later): a button to press again would suggest that
            // nothing was done the first time. No management link, as after a POST: it may be an earlier
            // subscription's link.
            case ALREADY_CONFIRMED -> page(HttpStatus.OK, "pages/message.html", Map.of("heading",
                    "Abonnement déjà confirmé", "message", "Votre abonnement est confirmé : vous recevez les annonces "
                            + "des événements de l'agenda. " + EVERY_EMAIL_HAS_LINKS));
            case INVALID -> invalidLink();
        };
    }

    @PostMapping(SubscriptionLinks.CONFIRM_PATH)
    ResponseEntity<String> confirm(@RequestParam(required = false) String token) {
        SubscriptionService.Confirmation confirmation = service.confirmation(token);
        return switch (confirmation.outcome()) {
            case CONFIRMED, ALREADY_CONFIRMED -> {
                Map<String, Object> model = new HashMap<>(Map.of("heading", "Abonnement confirmé", "message",
                        "Merci ! Vous recevrez les annonces des prochains événements de l'agenda. "
                                + EVERY_EMAIL_HAS_LINKS));
                // Someone who subscribed from the site's form (everything) sees and narrows the choice now, not only
                // from the first announcement.
                confirmation.confirmedNow().ifPresent(s -> model.put("preferencesUrl", links.preferences(s).toString()));
                yield page(HttpStatus.OK, "pages/message.html", model);
            }
            case INVALID -> invalidLink();
        };
    }

    @GetMapping(SubscriptionLinks.PREFERENCES_PATH)
    ResponseEntity<String> preferencesPage(@RequestParam(required = false) String token) {
        return preferences(token, Form.SHOWN, null);
    }

    @PostMapping(SubscriptionLinks.PREFERENCES_PATH)
    ResponseEntity<String> savePreferences(@RequestParam(required = false) String token,
            @RequestParam(defaultValue = "all") String mode,
            @RequestParam MultiValueMap<String, String> form,
            @RequestParam(defaultValue = "") String otherCategories,
            @RequestParam(defaultValue = "") String otherTags) {
        // The ticked boxes as sent, one value each: bound to a List, a single box « Santé, social » was split at its
        // comma into two topics nobody chose.
        List<String> chosenCategories = new ArrayList<>(form.getOrDefault("categories", List.of()));
        chosenCategories.addAll(split(otherCategories));
        List<String> chosenTags = new ArrayList<>(form.getOrDefault("tags", List.of()));
        chosenTags.addAll(split(otherTags));
        if (distinct(chosenCategories) > Preferences.MAX_VALUES || distinct(chosenTags) > Preferences.MAX_VALUES) {
            // Kept as is, the choice would be cut to its first 50 values in alphabetical order, without a word.
            return preferences(token, Form.TOO_MANY, null);
        }
        if (java.util.stream.Stream.concat(chosenCategories.stream(), chosenTags.stream())
                .anyMatch(v -> Preferences.storedLength(v) > Preferences.MAX_LENGTH)) {
            // Dropped, the topic was gone while the page said « enregistrées » (or, alone, « choisissez au moins… »).
            return preferences(token, Form.TOO_LONG, null);
        }
        Preferences ticked = new Preferences(false, Set.copyOf(chosenCategories), Set.copyOf(chosenTags));
        boolean somethingTicked = !ticked.categories().isEmpty() || !ticked.tags().isEmpty();
        if ("chosen".equals(mode)) {
            if (!somethingTicked) {
                // Saved as is, this would silently stop every email: ask again rather than guess.
                return preferences(token, Form.NOTHING_CHOSEN, null);
            }
            return save(token, ticked);
        }
        if (somethingTicked) {
            // « Toutes les annonces » left selected while boxes were ticked or topics typed: the radio button above
            // the boxes is easily missed, and saving "everything" would drop the ticks while saying "saved". Ticks
            // that are the subscriber's current choice, sent back untouched, are a plain switch to everything.
            Subscriber subscriber = service.manage(token).orElse(null);
            if (subscriber != null && subscriber.isConfirmed() && !sameChoice(subscriber.preferences(), ticked)) {
                return preferences(token, Form.AMBIGUOUS, ticked);
            }
        }
        return save(token, Preferences.everythingPreferences());
    }

    private ResponseEntity<String> save(String token, Preferences preferences) {
        if (!service.updatePreferences(token, preferences)) {
            return preferences(token, Form.SHOWN, null);
        }
        return preferences(token, Form.SAVED, null);
    }

    private static long distinct(List<String> values) {
        return values.stream().map(v -> v.strip().toLowerCase(java.util.Locale.ROOT)).filter(v -> !v.isEmpty())
                .distinct().count();
    }

    /** Same categories and tags by the key they match events with. */
    private static boolean sameChoice(Preferences current, Preferences ticked) {
        return !current.everything() && Preferences.keys(current.categories()).equals(Preferences.keys(ticked.categories()))
                && Preferences.keys(current.tags()).equals(Preferences.keys(ticked.tags()));
    }

    /** What the preferences page says above its form. */
    private enum Form {
        SHOWN, SAVED, NOTHING_CHOSEN, AMBIGUOUS, TOO_MANY, TOO_LONG
    }

    /**
     * @param shown the choice to show in the form instead of the stored one (what was sent, when nothing was saved)
     */
    private ResponseEntity<String> preferences(String token, Form form, Preferences shown) {
        Subscriber subscriber = service.manage(token).orElse(null);
        if (subscriber == null) {
            return invalidLink();
        }
        if (!subscriber.isConfirmed()) {
            return message(HttpStatus.OK, "Pas d'abonnement actif",
                    "Cette adresse n'est pas (ou plus) abonnée à l'agenda. Vous pouvez vous réabonner sur la page de "
                            + "l'agenda.", true);
        }
        Preferences p = shown != null ? shown : subscriber.preferences();
        List<String> knownCategories = catalog.categories();
        List<String> knownTags = catalog.tags();
        Map<String, Object> model = new HashMap<>();
        model.put("token", token);
        model.put("action", relative(SubscriptionLinks.PREFERENCES_PATH));
        model.put("email", EmailAddresses.unicodeDomain(subscriber.email()));
        model.put("everything", p.everything());
        model.put("knownCategories", knownCategories);
        model.put("categories", ticked(knownCategories, p.categories()));
        model.put("otherCategories", joined(others(knownCategories, p.categories())));
        model.put("knownTags", knownTags);
        model.put("tags", ticked(knownTags, p.tags()));
        model.put("otherTags", joined(others(knownTags, p.tags())));
        model.put("saved", form == Form.SAVED);
        model.put("nothingChosen", form == Form.NOTHING_CHOSEN);
        model.put("ambiguous", form == Form.AMBIGUOUS);
        model.put("tooMany", form == Form.TOO_MANY);
        model.put("tooLong", form == Form.TOO_LONG);
        model.put("maxLength", Preferences.MAX_LENGTH);
        model.put("maxValues", Preferences.MAX_VALUES);
        model.put("unsubscribeUrl", links.unsubscribe(subscriber).toString());
        boolean refused = form == Form.NOTHING_CHOSEN || form == Form.AMBIGUOUS || form == Form.TOO_MANY
                || form == Form.TOO_LONG;
        return page(refused ? HttpStatus.UNPROCESSABLE_CONTENT : HttpStatus.OK, "pages/preferences.html", model);
    }

    /** The labels offered that are chosen, compared by key as matching is: "evénement" ticks "Événement". */
    private static List<String> ticked(List<String> known, Set<String> chosen) {
        Set<String> chosenKeys = Preferences.keys(chosen);
        return known.stream().filter(label -> chosenKeys.contains(Preferences.keyOf(label))).toList();
    }

    /** The choices no offered label stands for: shown in the free-text field, so that saving again keeps them. */
    private static List<String> others(List<String> known, Set<String> chosen) {
        Set<String> knownKeys = Preferences.keys(new LinkedHashSet<>(known));
        return chosen.stream().filter(c -> !knownKeys.contains(Preferences.keyOf(c))).sorted().toList();
    }

    @GetMapping(SubscriptionLinks.UNSUBSCRIBE_PATH)
    ResponseEntity<String> unsubscribePage(@RequestParam(required = false) String token) {
        Subscriber subscriber = service.manage(token).orElse(null);
        if (subscriber == null) {
            return invalidLink();
        }
        if (!subscriber.isConfirmed()) {
            // Typically after the mail client's one-click: the footer link then must not ask to unsubscribe again.
            return message(HttpStatus.OK, "Vous êtes désabonné(e)",
                    "Cette adresse ne reçoit plus les annonces de l'agenda. Pour les recevoir de nouveau, abonnez-vous "
                            + "sur la page de l'agenda.", true);
        }
        return page(HttpStatus.OK, "pages/unsubscribe.html", Map.of("token", token,
                "action", relative(SubscriptionLinks.UNSUBSCRIBE_PATH),
                "preferencesUrl", relative(SubscriptionLinks.PREFERENCES_PATH) + "?token=" + token));
    }

    /** Both the page's button and the one-click POST of mail clients land here. */
    @PostMapping(SubscriptionLinks.UNSUBSCRIBE_PATH)
    ResponseEntity<String> unsubscribe(@RequestParam(required = false) String token) {
        if (!service.validManageToken(token)) {
            return invalidLink();
        }
        service.unsubscribe(token);
        return message(HttpStatus.OK, "Désabonnement effectué",
                "Vous ne recevrez plus d'annonces de l'agenda. Vous pouvez vous réabonner à tout moment sur la page de "
                        + "l'agenda.", true);
    }

    /**
     * A page's address relative to the other pages (they share {@code /subscriptions/}): behind a proxy that serves
     * the service under a path ({@code https://example.org/abonnements/subscriptions/...}, as the emails' links say),
     * a root-relative form action left that path out and posted to another application.
     */
    private static String relative(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * The topics typed in a free-text field, separated by commas; one holding a comma is written in double quotes
     * (as {@link #joined} shows it), so that saving the page again keeps it whole. Text a CSV reader refuses (a quote
     * never closed) is split at every comma.
     */
    static List<String> split(String text) {
        try (CSVParser parser = CSVParser.parse(text, FREE_TEXT)) {
            List<String> values = new ArrayList<>();
            for (CSVRecord record : parser) {
                record.forEach(v -> values.add(v.strip()));
            }
            return values.stream().filter(v -> !v.isEmpty()).toList();
        } catch (IOException | java.io.UncheckedIOException notCsv) {
            return Arrays.stream(text.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
        }
    }

    /** The other topics as the free-text field shows them: commas between, a topic holding a comma quoted. */
    static String joined(List<String> values) {
        return values.stream().map(v -> v.contains(",") || v.startsWith("\"") ? "\"" + v.replace("\"", "\"\"") + "\""
                : v).collect(java.util.stream.Collectors.joining(", "));
    }

    private static final CSVFormat FREE_TEXT = CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true)
            .setRecordSeparator("\n").get();

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
                "Ce lien n'est pas (ou plus) valable : un courriel plus récent l'a peut-être remplacé. Sinon, refaites la "
                        + "demande sur la page de l'agenda.", true);
    }

    private ResponseEntity<String> message(HttpStatus status, String heading, String text) {
        return message(status, heading, text, false);
    }

    /**
     * @param toTheAgenda the text sends the person to the agenda page (its subscription form): a link to it, since
     *                    "the site" alone leaves them to find it
     */
    private ResponseEntity<String> message(HttpStatus status, String heading, String text, boolean toTheAgenda) {
        Map<String, Object> model = new HashMap<>(Map.of("heading", heading, "message", text));
        if (toTheAgenda) {
            model.put("agendaUrl", links.subscriptionForm().toString());
        }
        return page(status, "pages/message.html", model);
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
