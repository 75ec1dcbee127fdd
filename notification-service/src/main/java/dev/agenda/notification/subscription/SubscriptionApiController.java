package dev.agenda.notification.subscription;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.agenda.notification.web.TooManyRequestsException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The public subscription endpoint, called by the site's form. */
@RestController
class SubscriptionApiController {

    /** Same words for every address, known or not. */
    static final Map<String, String> ACCEPTED = Map.of("status", "accepted", "message",
            "Si cette adresse est valide, un courriel va lui être envoyé. Suivez le lien qu'il contient pour confirmer.");

    private final SubscriptionService service;
    private final SubscriptionRateLimiter limiter;

    SubscriptionApiController(SubscriptionService service, SubscriptionRateLimiter limiter) {
        this.service = service;
        this.limiter = limiter;
    }

    /**
     * Each category or tag must be a usable value: a null, blank or overlong one is a 400 on its field, never dropped.
     * Dropped, a request for chosen categories holding only such values would become a subscription to everything.
     */
    record SubscriptionRequest(@NotBlank @Size(max = 254) String email,
            @Size(max = Preferences.MAX_VALUES) List<@NotBlank @Size(max = Preferences.MAX_LENGTH) String> categories,
            @Size(max = Preferences.MAX_VALUES) List<@NotBlank @Size(max = Preferences.MAX_LENGTH) String> tags) {
    }

    @PostMapping(path = "/api/subscriptions", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, String>> subscribe(@Valid @RequestBody SubscriptionRequest request,
            HttpServletRequest http) {
        if (!limiter.allowClient(http.getRemoteAddr())) {
            throw new TooManyRequestsException("Too many subscription requests from this client; try again later.",
                    limiter.clientRetryAfter(http.getRemoteAddr()));
        }
        String key = EmailAddresses.normalise(request.email())
                .orElseThrow(() -> new InvalidValueException("email", "is not a valid email address"));
        if (!limiter.allowAddress(key)) {
            throw new TooManyRequestsException("Too many subscription requests for this address; try again later.",
                    limiter.addressRetryAfter(key));
        }
        service.accept(request.email(), request.categories(), request.tags());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(ACCEPTED);
    }
}
