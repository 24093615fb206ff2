package com.vlaapi.customer.portal.team;

import com.vlaapi.customer.portal.account.Admins;
import com.vlaapi.customer.portal.account.PortalUser;
import com.vlaapi.customer.portal.account.Team;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;

/** The customer's portal users; admins invite (the one-time link is shown to pass on) and remove them. */
@Controller
class TeamController {

    private final Team team;

    TeamController(Team team) {
        this.team = team;
    }

    @GetMapping("/portal/team")
    String list(PortalUser user, Model model) {
        model.addAttribute("user", user);
        model.addAttribute("members", team.list(user.customerId()));
        return "portal/team";
    }

    @PostMapping("/portal/team")
    @ResponseStatus(HttpStatus.CREATED)
    String invite(PortalUser user, @RequestParam(defaultValue = "") String email,
                  @RequestParam(defaultValue = "viewer") String role, Model model) {
        Admins.require(user);
        model.addAttribute("invitation", team.invite(user.customerId(), email, role));
        return list(user, model);
    }

    @PostMapping("/portal/team/{userId}/remove")
    String remove(PortalUser user, @PathVariable UUID userId) {
        Admins.require(user);
        team.remove(user.customerId(), userId);
        return "redirect:/portal/team";
    }
}
