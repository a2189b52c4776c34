package dev.affinity.gateway.registry;

/** What an operator allows an instance to do, set through the Actuator {@code affinity} endpoint. */
public enum AdminState {
    /** Normal: keeps its clients and takes new ones. */
    ACTIVE,
    /** Keeps the clients pinned to it, takes no new ones (HAProxy's drain). */
    DRAINING,
    /** Takes nothing: its pinned clients fail over and are re-pinned elsewhere. */
    DISABLED
}
