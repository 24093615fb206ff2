package com.vlaapi.customer.portal.web;

import com.vlaapi.servicecontract.error.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The portal's errors are pages, not the APIs' JSON: the same status (404 for another customer's
 * id, 403 for a viewer's attempt to manage), and the message, without a stack trace. The admin API
 * in portal.account keeps the JSON errors.
 */
@ControllerAdvice(basePackages = {"com.vlaapi.customer.portal.web", "com.vlaapi.customer.portal.overview",
        "com.vlaapi.customer.portal.keys", "com.vlaapi.customer.portal.requests", "com.vlaapi.customer.portal.invoices",
        "com.vlaapi.customer.portal.team", "com.vlaapi.customer.portal.security"})
@Order(Ordered.HIGHEST_PRECEDENCE)
class PortalErrors {

    @ExceptionHandler(ApiException.class)
    String refused(ApiException e, HttpServletResponse response, Model model) {
        response.setStatus(e.error().status().value());
        model.addAttribute("status", e.error().status().value());
        model.addAttribute("message", e.error().message());
        return "portal/error";
    }

    /** A malformed id in the URL names nothing: the same 404 as an id of someone else's. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    String malformedId(HttpServletResponse response, Model model) {
        response.setStatus(HttpStatus.NOT_FOUND.value());
        model.addAttribute("status", HttpStatus.NOT_FOUND.value());
        model.addAttribute("message", "There is no such page.");
        return "portal/error";
    }

    @ExceptionHandler(SignedInUsers.SignedOutException.class)
    String signedOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
        return "redirect:/portal/sign-in";
    }
}
