package com.vlaapi.customer.portal.web;

import com.vlaapi.customer.portal.account.PortalUser;
import com.vlaapi.customer.portal.account.SignIn;
import com.vlaapi.customer.portal.account.SignInResult;
import com.vlaapi.customer.portal.account.Team;
import com.vlaapi.servicecontract.error.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Signing in with email and password (and the authenticator's code, for users who turned it on), and
 * setting a password through an invitation's one-time link.
 */
@Controller
class SignInController {

    /** Session attribute: the user whose password was right and whose code is still to come. */
    private static final String PASSWORD_CHECKED = SignInController.class.getName() + ".passwordChecked";

    private final SignIn signIn;
    private final Team team;
    private final SecurityContextRepository sessions;

    SignInController(SignIn signIn, Team team, SecurityContextRepository sessions) {
        this.signIn = signIn;
        this.team = team;
        this.sessions = sessions;
    }

    @GetMapping("/portal/sign-in")
    String form() {
        return "portal/sign-in";
    }

    @PostMapping("/portal/sign-in")
    String signIn(@RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String password,
                  HttpServletRequest request, HttpServletResponse response, Model model) {
        SignInResult result = signIn.attempt(email, password);
        model.addAttribute("email", email);
        if (result instanceof SignInResult.SignedIn signedIn) {
            startSession(signedIn.user(), request, response);
            return "redirect:/portal";
        }
        if (result instanceof SignInResult.NeedsCode needsCode) {
            HttpSession old = request.getSession(false);
            if (old != null) {
                old.invalidate();
            }
            request.getSession(true).setAttribute(PASSWORD_CHECKED, needsCode.user().userId());
            return "redirect:/portal/sign-in/code";
        }
        return refused(result, response, model, "portal/sign-in", "Wrong email or password.");
    }

    @GetMapping("/portal/sign-in/code")
    String codeForm(HttpServletRequest request) {
        return passwordChecked(request) == null ? "redirect:/portal/sign-in" : "portal/sign-in-code";
    }

    @PostMapping("/portal/sign-in/code")
    String code(@RequestParam(defaultValue = "") String code, HttpServletRequest request, HttpServletResponse response,
                Model model) {
        UUID userId = passwordChecked(request);
        if (userId == null) {
            return "redirect:/portal/sign-in";
        }
        SignInResult result = signIn.attemptCode(userId, code.strip());
        if (result instanceof SignInResult.SignedIn signedIn) {
            startSession(signedIn.user(), request, response);
            return "redirect:/portal";
        }
        return refused(result, response, model, "portal/sign-in-code", "Wrong code.");
    }

    private static UUID passwordChecked(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session == null ? null : (UUID) session.getAttribute(PASSWORD_CHECKED);
    }

    private static String refused(SignInResult result, HttpServletResponse response, Model model, String page,
                                  String wrong) {
        if (result instanceof SignInResult.SlowedDown slowedDown) {
            long seconds = Math.max(1, slowedDown.retryAfter().toSeconds());
            response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            model.addAttribute("error", "Too many wrong passwords or codes. Wait " + seconds
                    + " seconds before you try again, or ask your admin to invite you again.");
        } else {
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            model.addAttribute("error", wrong);
        }
        return page;
    }

    @GetMapping("/portal/invitations/{token}")
    String invitation(@PathVariable String token, Model model) {
        PortalUser invitee = team.invitee(token).orElseThrow(SignInController::unknownInvitation);
        model.addAttribute("invitee", invitee);
        model.addAttribute("token", token);
        model.addAttribute("minLength", Team.MIN_PASSWORD_LENGTH);
        return "portal/set-password";
    }

    @PostMapping("/portal/invitations/{token}")
    String acceptInvitation(@PathVariable String token, @RequestParam(defaultValue = "") String password,
                            @RequestParam(defaultValue = "") String repeated, HttpServletRequest request,
                            HttpServletResponse response, Model model) {
        PortalUser invitee = team.invitee(token).orElseThrow(SignInController::unknownInvitation);
        try {
            if (!Objects.equals(password, repeated)) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "passwords_differ", "The two passwords differ.");
            }
            startSession(team.acceptInvitation(token, password), request, response);
            return "redirect:/portal";
        } catch (ApiException e) {
            response.setStatus(e.error().status().value());
            model.addAttribute("invitee", invitee);
            model.addAttribute("token", token);
            model.addAttribute("minLength", Team.MIN_PASSWORD_LENGTH);
            model.addAttribute("error", e.error().message());
            return "portal/set-password";
        }
    }

    /** A new session for the signed-in user: an id an attacker planted before sign-in is worthless after it. */
    private void startSession(PortalUser user, HttpServletRequest request, HttpServletResponse response) {
        HttpSession old = request.getSession(false);
        if (old != null) {
            old.invalidate();
        }
        request.getSession(true);
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                new PortalSession(user.userId(), user.customerId()), null,
                List.of(new SimpleGrantedAuthority("ROLE_PORTAL_USER"))));
        SecurityContextHolder.setContext(context);
        sessions.saveContext(context, request, response);
    }

    private static ApiException unknownInvitation() {
        return new ApiException(HttpStatus.NOT_FOUND, "invitation_not_found",
                "This link is unknown, used or expired. Ask your admin for a new invitation.");
    }
}
