from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with minimal cost, so that tests creating many users stay fast."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1
