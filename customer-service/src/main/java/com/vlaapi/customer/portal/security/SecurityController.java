package com.vlaapi.customer.portal.security;

import com.vlaapi.customer.portal.account.PortalUser;
import com.vlaapi.customer.portal.account.SecondFactor;
import com.vlaapi.servicecontract.error.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The signed-in user's own sign-in settings: the optional second factor (an authenticator app's codes). */
@Controller
class SecurityController {

    private final SecondFactor secondFactor;

    SecurityController(SecondFactor secondFactor) {
        this.secondFactor = secondFactor;
    }

    @GetMapping("/portal/security")
    String page(PortalUser user, Model model) {
        model.addAttribute("user", user);
        return "portal/security";
    }

    /** A new secret to scan; nothing changes until a code from it comes back. */
    @PostMapping("/portal/security/second-factor/new")
    String newSecret(PortalUser user, Model model) {
        String secret = secondFactor.newSecret();
        model.addAttribute("user", user);
        model.addAttribute("secret", secret);
        model.addAttribute("enrollmentUri", secondFactor.enrollmentUri(user, secret));
        return "portal/security";
    }

    @PostMapping("/portal/security/second-factor")
    String turnOn(PortalUser user, @RequestParam(defaultValue = "") String secret,
                  @RequestParam(defaultValue = "") String code, HttpServletResponse response, Model model) {
        try {
            secondFactor.turnOn(user, secret, code.strip());
            return "redirect:/portal/security";
        } catch (ApiException e) {
            response.setStatus(e.error().status().value());
            model.addAttribute("user", user);
            model.addAttribute("secret", secret);
            model.addAttribute("enrollmentUri", secondFactor.enrollmentUri(user, secret));
            model.addAttribute("error", e.error().message());
            return "portal/security";
        }
    }

    @PostMapping("/portal/security/second-factor/off")
    String turnOff(PortalUser user, @RequestParam(defaultValue = "") String code, HttpServletResponse response,
                   Model model) {
        try {
            secondFactor.turnOff(user, code.strip());
            return "redirect:/portal/security";
        } catch (ApiException e) {
            response.setStatus(e.error().status().value());
            model.addAttribute("user", user);
            model.addAttribute("error", e.error().message());
            return "portal/security";
        }
    }
}
