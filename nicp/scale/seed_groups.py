"""The community side: groups with their representatives (one account each, no usable password) and the named
community accounts placed among them. Funded proposals get a group of their own (the project's group);
the others share a pool, about four proposals a group."""

from django.contrib.auth.hashers import make_password

from accounts.models import CommunityGroup, Membership, User
from nicp.scale.seed_tag import GROUP_PREFIX, email

NAMED_EVERY = 50  # the named representative represents every 50th funded group (and the pool's first)
MEMBER_OF = 5  # the named member belongs to the first five groups of each kind


def make_groups(count: int, kind: str, units: list, named: dict, rng) -> list[CommunityGroup]:
    """`count` groups named `{GROUP_PREFIX} {kind} {i}`, each in a unit of the catalogue."""
    groups = CommunityGroup.objects.bulk_create(
        [CommunityGroup(name=f"{GROUP_PREFIX} {kind} {i}", kind="residents", neighbourhood=rng.choice(units))
         for i in range(count)], batch_size=2000)
    unusable = make_password(None)  # one hash for all: none of them can sign in
    reps = []
    for i in range(count):
        if i % NAMED_EVERY == 0:
            reps.append(named["representative"])
        else:
            reps.append(User(email=email(f"{kind}{i}-rep"), full_name=f"Representante de escala {kind} {i}",
                             password=unusable))
    User.objects.bulk_create([user for user in reps if user.pk is None], batch_size=5000)
    memberships = [Membership(group=group, user=user, role="representative") for group, user in zip(groups, reps,
                                                                                                   strict=True)]
    memberships += [Membership(group=group, user=named["group_member"], role="member") for group in groups[:MEMBER_OF]]
    Membership.objects.bulk_create(memberships, batch_size=5000)
    return groups
