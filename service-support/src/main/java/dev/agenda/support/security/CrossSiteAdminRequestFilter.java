package dev.agenda.support.security;

import java.io.IOException;
import java.util.List;
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
 * ({@code Sec-Fetch-Site: cross-site} or {@code same-site}). CSRF tokens are off, the API being stateless, but a
 * browser replays remembered HTTP Basic credentials like a cookie: once an admin had used Swagger UI, any page could
 * have posted a Jekyll zip (published events, emails to every subscriber). Scripts and curl send no such header and
 * are not affected; public routes (the site's subscription form, one-click unsubscribe from mail clients) are
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
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && OTHER_SITES.contains(site.trim().toLowerCase(java.util.Locale.ROOT))
                && !SAFE_METHODS.contains(request.getMethod())
                && !isPublic(request)) {
            ProblemResponses.write(request, response, HttpStatus.FORBIDDEN,
                    "Admin routes refuse state-changing requests sent by the browser from another site.");
            return;
        }
        chain.doFilter(request, response);
    }
}
