/**
 * What the engine offers the multi-node layer (issue 8): room snapshots for failover and handover.
 * <p>
 * Each room has one owner node; sockets elsewhere are relayed to it and look like ordinary connections to the
 * engine. The engine reports through {@link dev.switchboard.engine.cluster.ClusterHooks} (on the engine thread,
 * never blocking) which rooms it opened and closed, and hands over snapshots of changed rooms at most once per
 * {@link dev.switchboard.engine.cluster.ClusterHooks#snapshotIntervalMs()} and of every room on a
 * {@link dev.switchboard.engine.ring.SlotKind#HANDOVER}. The cluster layer stores them (in Redis) and, when a room
 * moves to this node, publishes a {@link dev.switchboard.engine.ring.SlotKind#ROOM_RESTORE} slot holding the
 * last snapshot (see {@link dev.switchboard.engine.ring.InboundSlot#fillRoomRestore}) before the room's first
 * relayed message, so the room opens with its sessions away and resumable.
 * <p>
 * The snapshot format, versioned with a magic number, is written down in
 * {@link dev.switchboard.engine.cluster.RoomSnapshotCodec}; {@link dev.switchboard.engine.cluster.RoomSnapshot}
 * is its decoded form. The rules the engine follows on restore and resume (sequence numbers, {@code gap},
 * {@code resume_migrated}, hostless clock) are in {@link dev.switchboard.engine.Engine}.
 */
package dev.switchboard.engine.cluster;
