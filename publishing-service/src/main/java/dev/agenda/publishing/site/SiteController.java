package dev.agenda.publishing.site;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Admin API of the site (service-support's security: every /api route needs an admin). */
@RestController
@RequestMapping("/api/site")
class SiteController {

    private final SitePublisher publisher;

    SiteController(SitePublisher publisher) {
        this.publisher = publisher;
    }

    @GetMapping("/status")
    SiteStatus status() {
        return publisher.status();
    }

    /** 202: the rebuild runs in the background; follow it in {@code GET /api/site/status}. */
    @PostMapping("/rebuild")
    ResponseEntity<?> rebuild() {
        if (!publisher.startRebuild()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                    "A rebuild is already running.");
            problem.setTitle("Rebuild in progress");
            return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
        }
        return ResponseEntity.accepted().location(URI.create("/api/site/status")).body(publisher.status());
    }
}
