package com.vlaapi.customer.portal.web;

import com.vlaapi.customer.portal.account.PortalUser;
import com.vlaapi.customer.portal.account.Team;
import java.util.List;
import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Gives a portal controller the signed-in {@link PortalUser}, read from the database on every
 * request: a removed user is signed out at their next click, and a changed role applies at once.
 * Every portal query is scoped by this user's customer, never by an id from the URL or a form.
 */
@Component
class SignedInUsers implements HandlerMethodArgumentResolver, WebMvcConfigurer {

    /** The session's user no longer exists: the page answers with the sign-in form. */
    static class SignedOutException extends RuntimeException {
        SignedOutException() {
            super("signed out", null, false, false);
        }
    }

    private final Team team;

    SignedInUsers(Team team) {
        this.team = team;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == PortalUser.class;
    }

    @Override
    public PortalUser resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
                                      NativeWebRequest request, WebDataBinderFactory binders) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof PortalSession session)) {
            throw new SignedOutException();
        }
        return team.find(session.customerId(), session.userId()).orElseThrow(SignedOutException::new);
    }
}
