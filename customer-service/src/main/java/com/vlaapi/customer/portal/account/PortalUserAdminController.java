package com.vlaapi.customer.portal.account;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Operators invite a customer's first portal users ({@code bin/vla invite}); the customer's admins invite the rest. */
@RestController
@RequestMapping("/admin/v1/customers/{customer_id}/portal-users")
class PortalUserAdminController {

    record InviteRequest(String email, String role) {
    }

    /** @param invitationUrl the one-time link that sets the password: shown here once, stored only hashed */
    record InvitedUser(UUID userId, String email, String role, URI invitationUrl, Instant expiresAt) {
    }

    record PortalUserView(UUID userId, String email, String role, boolean active, Instant invitedAt) {
    }

    record PortalUserList(List<PortalUserView> portalUsers) {
    }

    private final Team team;

    PortalUserAdminController(Team team) {
        this.team = team;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    InvitedUser invite(@PathVariable("customer_id") UUID customerId, @RequestBody InviteRequest request) {
        Invitation invitation = team.invite(customerId, request.email(), request.role());
        return new InvitedUser(invitation.user().userId(), invitation.user().email(), invitation.user().role().id(),
                invitation.link(), invitation.expiresAt());
    }

    @GetMapping
    PortalUserList list(@PathVariable("customer_id") UUID customerId) {
        return new PortalUserList(team.list(customerId).stream()
                .map(user -> new PortalUserView(user.userId(), user.email(), user.role().id(), user.active(),
                        user.invitedAt()))
                .toList());
    }

    @DeleteMapping("/{user_id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void remove(@PathVariable("customer_id") UUID customerId, @PathVariable("user_id") UUID userId) {
        team.remove(customerId, userId);
    }
}
