package dev.switchboard.net.io;

/**
 * Under which address a socket counts toward {@code maxConnectionsPerAddress}.
 */
enum AddressAccounting
{
    /** Not counted (unknown address, refused, or released). */
    UNCOUNTED,
    /** From a trusted proxy: counted at the upgrade, under the client its X-Forwarded-For names. */
    VIA_TRUSTED_PROXY,
    /** Counted under {@code addressHi}/{@code addressLo}; released when the socket closes. */
    COUNTED
}
