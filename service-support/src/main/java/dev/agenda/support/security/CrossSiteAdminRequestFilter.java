package dev.agenda.support.security;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.agenda.support.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses a state-changing request to an admin route that a browser says comes from another site
 * ({@code Sec-Fetch-Site: cross-site} or {@code same-site}), or, where it sends no such header, whose {@code Origin}
 * is another host. CSRF tokens are off, the API being stateless, but a browser replays remembered HTTP Basic
 * credentials like a cookie: once an admin had used Swagger UI, any page could have posted a Jekyll zip (published
 * events, emails to every subscriber). Browsers send {@code Sec-Fetch-*} to https and localhost only, so over plain
 * http (docker-compose's ports) the {@code Origin} they put on every cross-origin POST is what tells; it is compared
 * by host only, since a proxy in front may change the scheme and port the service sees. Scripts and curl send neither
 * and are not affected; public routes (the site's subscription form, one-click unsubscribe from mail clients) are
 * cross-site by design and are left alone. Checked before authentication, so a refusal costs no password check.
 */
final class CrossSiteAdminRequestFilter extends OncePerRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final Set<String> OTHER_SITES = Set.of("cross-site", "same-site");

    private final List<RequestMatcher> probes;
    private final List<RequestMatcher> adminPaths;
    private final List<RequestMatcher> publicPaths;

    /** The same paths, in the same order of precedence, as the authorization rules. */
    CrossSiteAdminRequestFilter(List<String> probePatterns, List<String> adminPatterns, List<String> publicPatterns) {
        this.probes = matchers(probePatterns);
        this.adminPaths = matchers(adminPatterns);
        this.publicPaths = matchers(publicPatterns);
    }

    private static List<RequestMatcher> matchers(List<String> patterns) {
        return patterns.stream()
                .map(pattern -> (RequestMatcher) PathPatternRequestMatcher.withDefaults().matcher(pattern)).toList();
    }

    private boolean isPublic(HttpServletRequest request) {
        if (probes.stream().anyMatch(path -> path.matches(request))) {
            return true;
        }
        return adminPaths.stream().noneMatch(path -> path.matches(request))
                && publicPaths.stream().anyMatch(path -> path.matches(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!SAFE_METHODS.contains(request.getMethod()) && fromAnotherSite(request) && !isPublic(request)) {
            ProblemResponses.write(request, response, HttpStatus.FORBIDDEN,
                    "Admin routes refuse state-changing requests sent by the browser from another site.");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean fromAnotherSite(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return OTHER_SITES.contains(site.trim().toLowerCase(Locale.ROOT));
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        // "null" (a sandboxed frame, a file, a redirect across origins) and anything unreadable are another site.
        try {
            String host = URI.create(origin.trim()).getHost();
            return host == null || !host.equalsIgnoreCase(request.getServerName());
        } catch (IllegalArgumentException unreadable) {
            return true;
        }
    }
}
