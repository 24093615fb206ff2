package com.vlaapi.customer.portal.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * Spring Security guards the portal ({@code /portal/**}) alone: sessions, CSRF tokens on every form,
 * a strict Content-Security-Policy. The admin and internal APIs keep their own token checks
 * (service-contract's interceptors) and get no session, no CSRF and no login redirect.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class PortalSecurity {

    /** Nothing inline and nothing from elsewhere: the pages' scripts and styles are files of this service. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @Bean
    @Order(1)
    SecurityFilterChain portal(HttpSecurity http, SecurityContextRepository sessions) throws Exception {
        http.securityMatcher("/portal/**")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/portal/sign-in", "/portal/sign-in/code", "/portal/invitations/**", "/portal/assets/**")
                        .permitAll()
                        .anyRequest().authenticated())
                .securityContext(context -> context.securityContextRepository(sessions))
                // The CSRF token in a cookie, not the session: the sign-in page creates no session
                // row, and a visitor who never signs in costs no database write.
                .csrf(csrf -> csrf.csrfTokenRepository(csrfCookie()))
                // No saved request: a signed-out visit would otherwise create a session to hold it.
                .requestCache(cache -> cache.disable())
                .exceptionHandling(errors -> errors.authenticationEntryPoint(
                        (request, response, e) -> response.sendRedirect("/portal/sign-in")))
                .logout(logout -> logout.logoutUrl("/portal/sign-out").logoutSuccessUrl("/portal/sign-in?signed-out")
                        .deleteCookies(PortalCookie.NAME))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
        return http.build();
    }

    /** Everything that is not the portal: the service's APIs as they were before Spring Security came. */
    @Bean
    @Order(2)
    SecurityFilterChain apis(HttpSecurity http) throws Exception {
        http.securityMatcher(AnyRequestMatcher.INSTANCE)
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .headers(headers -> headers.disable());
        return http.build();
    }

    private static CookieCsrfTokenRepository csrfCookie() {
        CookieCsrfTokenRepository repository = new CookieCsrfTokenRepository();
        repository.setCookieName("VLA_PORTAL_CSRF");
        repository.setCookiePath("/portal");
        repository.setCookieCustomizer(cookie -> cookie.secure(true).httpOnly(true).sameSite("Strict"));
        return repository;
    }

    @Bean
    SecurityContextRepository portalSessions() {
        return new HttpSessionSecurityContextRepository();
    }

    /** BCrypt, with the algorithm named in each stored hash so a later one can take over. */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** Portal sign-in is {@code SignInController}'s; this stops Spring Boot from creating a default user. */
    @Bean
    UserDetailsService noUserDetails() {
        return username -> {
            throw new UsernameNotFoundException("portal users sign in through /portal/sign-in");
        };
    }
}
