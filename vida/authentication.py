import weakref

from django.conf import settings
from django.db import connections, router
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from accounts.models import User

_USER_FIELDS = [field.attname for field in User._meta.concrete_fields]
_LOOKUP = "SELECT {columns} FROM {user} u JOIN {token} t ON t.user_id = u.id WHERE t.key = %s".format(
    columns=", ".join(f'u."{field.column}"' for field in User._meta.concrete_fields),
    user=User._meta.db_table,
    token=Token._meta.db_table,
)
_STATEMENT = "vida_token_user"

# The PostgreSQL sessions (driver connections) that have the lookup prepared.
# A prepared statement lives as long as its session, whatever happens to
# transactions in it; a new connection prepares it again on first use.
_prepared_on = weakref.WeakSet()


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's ``Authorization: Token ...`` check, made cheap enough for every request.

    DRF builds and compiles a token-join-user ORM query on each API request, and
    PostgreSQL parses and plans it each time: together about a third of a
    check-in POST's cost (`make bench`, bench/README.md). Here the same join is
    written once, prepared once per PostgreSQL session, and the row becomes a
    User the way the ORM makes one (``Model.from_db``). ``request.auth`` is the
    token key.

    A pooler in transaction mode (PgBouncer ``pool_mode=transaction``) does not
    keep prepared statements; set ``VIDA_PREPARE_TOKEN_LOOKUP=0`` behind one.
    """

    def authenticate_credentials(self, key):
        alias = router.db_for_read(User)
        row = _fetch_user_row(connections[alias], key)
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = User.from_db(alias, _USER_FIELDS, row)
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, key


def _fetch_user_row(connection, key):
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or not settings.VIDA_PREPARE_TOKEN_LOOKUP:
            cursor.execute(_LOOKUP, [key])
            return cursor.fetchone()
        session = connection.connection
        if session not in _prepared_on:
            cursor.execute(f"PREPARE {_STATEMENT} (text) AS {_LOOKUP.replace('%s', '$1')}")
            _prepared_on.add(session)
        cursor.execute(f"EXECUTE {_STATEMENT} (%s)", [key])
        return cursor.fetchone()
