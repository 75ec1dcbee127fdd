package dev.agenda.notification.mail;

import java.net.URI;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.event.EventSnapshot;
import dev.agenda.notification.event.NoticeKind;
import dev.agenda.notification.event.ScheduleChange;
import dev.agenda.support.text.FrenchDates;

/** Builds the emails (French) from the templates. */
@Component
public class MailComposer {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MailComposer.class);

    private static final Locale FR = Locale.FRENCH;
    private final Templates templates;
    private final NotificationProperties properties;
    private final Clock clock;

    /**
     * Whether List-Unsubscribe offers the mailto: only when the service reads its mailbox. Offered unread, a request
     * sent to it (some clients unsubscribe only that way) would be silently ignored while the person believes they
     * are unsubscribed; the https link alone is what RFC 8058 asks for.
     */
    private final boolean offerMailto;

    /** List-Id of the notices: a list label under the domain of the Message-IDs, which the sender controls. */
    private final String listId;

    /** The organiser of the notices' calendars: the address they are sent from. */
    private final IcsWriter.Sender sender;

    private static IcsWriter.Sender sender(String from) {
        try {
            jakarta.mail.internet.InternetAddress address = new jakarta.mail.internet.InternetAddress(from, true);
            return new IcsWriter.Sender(address.getAddress(), address.getPersonal());
        } catch (jakarta.mail.internet.AddressException e) {
            throw new IllegalArgumentException("agenda.notification.mail.from is not an address: " + from, e);
        }
    }

    MailComposer(Templates templates, NotificationProperties properties, Clock clock) {
        this.templates = templates;
        this.properties = properties;
        this.clock = clock;
        this.sender = sender(properties.mail().from());
        SenderIdentity.warnings(properties).forEach(w -> log.warn("{}. Fine for the local stack only.", w));
        this.listId = "Annonces de l'agenda <annonces." + properties.mail().messageIdDomain() + ">";
        this.offerMailto = properties.unsubscribeMailbox() != null && properties.unsubscribeMailbox().enabled()
                && properties.mail().unsubscribeMailto() != null && !properties.mail().unsubscribeMailto().isBlank();
    }

    public OutgoingMail confirmation(String to, URI confirmUrl, String messageId) {
        Map<String, Object> model = Map.of("confirmUrl", confirmUrl.toString(),
                "days", properties.confirmationExpiry().toDays());
        return new OutgoingMail(to, "Confirmez votre abonnement à l'agenda",
                templates.render("mail/confirmation.txt", model), templates.render("mail/confirmation.html", model),
                List.of(), TRANSACTIONAL_HEADERS, messageId);
    }

    /** To an address already subscribed: no new subscription, but the owner learns how to manage it. */
    public OutgoingMail alreadySubscribed(String to, URI preferencesUrl, String messageId) {
        Map<String, Object> model = Map.of("preferencesUrl", preferencesUrl.toString());
        return new OutgoingMail(to, "Votre abonnement à l'agenda", templates.render("mail/already-subscribed.txt", model),
                templates.render("mail/already-subscribed.html", model), List.of(), TRANSACTIONAL_HEADERS, messageId);
    }

    /**
     * The emails answering the subscription form. Sent by a program (RFC 3834 §5): without Auto-Submitted, an
     * out-of-office or "unknown recipient" robot at an address someone typed into the form answers to the agenda's
     * From. Content-Language tells screen readers and translating clients what the text is in (RFC 3282).
     */
    private static final Map<String, String> TRANSACTIONAL_HEADERS = Map.of("Auto-Submitted", "auto-generated",
            "Content-Language", "fr");

    /**
     * @param change    for a reschedule, what it changed (null when unknown: the notice then says that the date or the
     *                  place changed, and shows them as they are)
     * @param withdrawn the event was deleted: its page is gone, so the email links to the agenda instead of a 404
     */
    public OutgoingMail notice(NoticeKind kind, EventSnapshot event, ScheduleChange change, boolean withdrawn,
            String to, String messageId, URI preferencesUrl, URI unsubscribeUrl, String unsubscribeToken) {
        // Everything but the links is the same for every recipient of a notice: rendered once per (kind, event
        // state), the links substituted per recipient. A fan-out of thousands then renders its templates once.
        RenderedNotice rendered;
        synchronized (renderedNotices) {
            ScheduleChange told = kind == NoticeKind.RESCHEDULE ? change : null;
            rendered = renderedNotices.computeIfAbsent(new NoticeKey(kind, event, told, withdrawn),
                    k -> render(kind, event, told, withdrawn));
        }
        String prefs = preferencesUrl.toString();
        String unsub = unsubscribeUrl.toString();
        Map<String, String> headers = new LinkedHashMap<>();
        // RFC 2369 + RFC 8058: the https URL is POSTed by the mail client with "List-Unsubscribe=One-Click".
        headers.put("List-Unsubscribe", offerMailto ? "<" + unsub + ">, <mailto:" + properties.mail().unsubscribeMailto()
                + "?subject=unsubscribe%20" + unsubscribeToken + ">" : "<" + unsub + ">");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        // RFC 2919: the list these notices belong to, stable across emails, so that mail clients and providers
        // (filters, Gmail's bulk-sender feedback) group them and tell them apart from the confirmation emails.
        headers.put("List-Id", listId);
        headers.put("Auto-Submitted", "auto-generated");
        headers.put("Precedence", "bulk");
        headers.put("Content-Language", "fr");
        Map<String, String> textValues = Map.of(PREFERENCES_MARK, prefs, UNSUBSCRIBE_MARK, unsub);
        Map<String, String> htmlValues = Map.of(PREFERENCES_MARK, HtmlUtils.htmlEscape(prefs), UNSUBSCRIBE_MARK,
                HtmlUtils.htmlEscape(unsub));
        return new OutgoingMail(to, rendered.subject(), rendered.text().fill(textValues),
                rendered.html().fill(htmlValues), rendered.attachments(), headers, messageId,
                new OutgoingMail.Shared(rendered.text(), textValues, rendered.html(), htmlValues));
    }

    /**
     * Stand-ins for the per-recipient links while the templates are rendered: plain letters and digits, so that
     * HTML escaping leaves them as they are and nothing an event contains can look like them by accident.
     */
    private static final String PREFERENCES_MARK = "agendaPreferencesUrl7c1e0f3b9a";
    private static final String UNSUBSCRIBE_MARK = "agendaUnsubscribeUrl52d8e4a6b1";
    /** A few events' notices at a time are in flight; more would only be a rendering cache nobody reads. */
    private static final int RENDERED_KEPT = 16;

    private record NoticeKey(NoticeKind kind, EventSnapshot event, ScheduleChange change, boolean withdrawn) {
    }

    private record RenderedNotice(String subject, SharedBody text, SharedBody html,
            List<OutgoingMail.Attachment> attachments) {
    }

    private final Map<NoticeKey, RenderedNotice> renderedNotices = new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<NoticeKey, RenderedNotice> eldest) {
            return size() > RENDERED_KEPT;
        }
    };

    private RenderedNotice render(NoticeKind kind, EventSnapshot event, ScheduleChange change, boolean withdrawn) {
        URI eventPage = withdrawn ? agendaPage() : eventPage(event.slug());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("kind", kind.name());
        // Title and place are one line each in the text (« Où : … »), as in the subject: a line break typed in them
        // would start a line of its own, read as another part of the email. The lead is a paragraph: its lines stay.
        model.put("title", Subjects.withoutLineBreaks(event.title()));
        String lead = LeadText.plain(event.lead());
        model.put("lead", lead);
        model.put("leadHtml", LeadText.html(lead));
        model.put("when", when(event));
        model.put("place", placeText(event.place()));
        model.put("online", event.place() != null && event.place().online());
        model.put("eventUrl", eventPage.toString());
        model.put("withdrawn", withdrawn);
        model.put("preferencesUrl", PREFERENCES_MARK);
        model.put("unsubscribeUrl", UNSUBSCRIBE_MARK);
        String prefix = switch (kind) {
            case ANNOUNCEMENT -> "Nouvel événement : ";
            case RESCHEDULE -> {
                String headline = headline(event, change);
                model.put("headline", headline);
                model.put("backOn", change != null && change.backOn());
                model.put("unchanged", change != null && !change.backOn() && !change.timesChanged(event)
                        && !change.placeChanged(event));
                if (change != null && change.timesChanged(event)) {
                    String before = when(change.before());
                    model.put("previousWhen", before != null ? before : "date non précisée");
                }
                if (change != null && change.placeChanged(event)) {
                    String before = placeText(change.before().place());
                    model.put("previousPlace", before != null ? before : "lieu non précisé");
                }
                yield headline + " : ";
            }
            case CANCELLATION -> "Annulé : ";
        };
        boolean cancel = kind == NoticeKind.CANCELLATION;
        byte[] ics = IcsWriter.write(event, cancel, eventPage, sender);
        String method = cancel ? "CANCEL" : "PUBLISH";
        List<String> marks = List.of(PREFERENCES_MARK, UNSUBSCRIBE_MARK);
        return new RenderedNotice(prefix + event.title(),
                new SharedBody(templates.render("mail/notice.txt", model), marks),
                new SharedBody(templates.render("mail/notice.html", model), marks),
                List.of(new OutgoingMail.Attachment("evenement.ics", "text/calendar; charset=UTF-8; method=" + method,
                        ics)));
    }

    /**
     * What a reschedule says happened since the recipient's last email: « Nouvelle date », « Nouvel horaire » (same
     * day), « Nouveau lieu », both, « Finalement maintenu » after a cancellation, « Maintenu » when nothing changed;
     * without a known change, the generic wording.
     */
    static String headline(EventSnapshot event, ScheduleChange change) {
        if (change == null) {
            return "Changement de date, d'horaire ou de lieu";
        }
        List<String> what = new java.util.ArrayList<>();
        if (change.timesChanged(event)) {
            what.add(sameDays(change.before(), event) ? "nouvel horaire" : "nouvelle date");
        }
        if (change.placeChanged(event)) {
            what.add("nouveau lieu");
        }
        String changed = String.join(" et ", what);
        if (change.backOn()) {
            return changed.isEmpty() ? "Finalement maintenu" : "Finalement maintenu, " + changed;
        }
        // Nothing changed since this recipient's last email: a cancellation they never received was taken back.
        return changed.isEmpty() ? "Maintenu" : Character.toUpperCase(changed.charAt(0)) + changed.substring(1);
    }

    /** On the same days, first and last: only the hours moved. A whole-day event gaining a day has a new date. */
    private static boolean sameDays(EventSnapshot before, EventSnapshot after) {
        return before.startsAt() != null && after.startsAt() != null
                && before.startsAt().atZone(before.zone()).toLocalDate()
                        .equals(after.startsAt().atZone(after.zone()).toLocalDate())
                && before.lastDayOn().equals(after.lastDayOn());
    }

    public URI eventPage(String slug) {
        return URI.create(agendaPage() + slug + "/");
    }

    private URI agendaPage() {
        String base = properties.siteBaseUrl().toString().replaceAll("/+$", "");
        return URI.create(base + "/agenda/");
    }

    /** « samedi 5 décembre 2026, de 14 h 00 à 17 h 30 (heure de Paris) », in the event's own time zone. */
    static String when(EventSnapshot event) {
        if (event.startsAt() == null) {
            return null;
        }
        ZoneId zone = event.zone();
        ZonedDateTime start = event.startsAt().atZone(zone);
        if (event.allDay()) {
            // Whole days (hours, if any, are in the event page's information rows), worded as on the site.
            return FrenchDates.days(start.toLocalDate(), event.lastDay());
        }
        String day = FrenchDates.day(start.toLocalDate());
        String text;
        if (event.endsAt() == null || !event.endsAt().isAfter(event.startsAt())) {
            // An end at the start is a moment, not « de 14 h 00 à 14 h 00 ».
            text = day + " à " + FrenchDates.time(start.toLocalTime());
        } else {
            ZonedDateTime end = event.endsAt().atZone(zone);
            // An evening that ends as the next day begins is on one day, as the site shows it.
            boolean untilMidnight = end.toLocalTime().equals(LocalTime.MIDNIGHT)
                    && end.toLocalDate().equals(start.toLocalDate().plusDays(1));
            text = start.toLocalDate().equals(end.toLocalDate()) || untilMidnight
                    ? day + ", de " + FrenchDates.time(start.toLocalTime()) + " à "
                            + (untilMidnight ? "minuit" : FrenchDates.time(end.toLocalTime()))
                    : "du " + day + " à " + FrenchDates.time(start.toLocalTime()) + " au "
                            + FrenchDates.day(end.toLocalDate()) + " à " + FrenchDates.time(end.toLocalTime());
        }
        return text + " (" + zoneName(zone, start) + ")";
    }

    private static final DateTimeFormatter ZONE_NAME = DateTimeFormatter.ofPattern("vvvv", FR);

    /** « heure de Paris », or the zone's French name: « heure de Guyane française », « heure de la Réunion ». */
    static String zoneName(ZoneId zone, ZonedDateTime at) {
        if (zone.getId().equals("Europe/Paris")) {
            return "heure de Paris";
        }
        String name = ZONE_NAME.format(at);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    static String placeText(EventSnapshot.Place place) {
        if (place == null) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        if (place.name() != null && !place.name().isBlank()) {
            text.append(Subjects.withoutLineBreaks(place.name()));
        }
        if (place.address() != null && !place.address().isBlank()) {
            if (!text.isEmpty()) {
                text.append(", ");
            }
            text.append(Subjects.withoutLineBreaks(place.address()));
        }
        if (text.isEmpty() && place.online()) {
            text.append("En ligne");
        }
        return text.isEmpty() ? null : text.toString();
    }
}
