using SmsHall.Core.Ports;
using static SmsHall.Storage.Tests.Messages;

namespace SmsHall.Storage.Tests;

/// <summary>The console's operator accounts, audit log and key ring, on every provider and across nodes.</summary>
public abstract partial class StorageContract
{
    [Fact]
    public async Task AnOperatorIsAddedOnceAndSeenByEveryNode()
    {
        Assert.True(await A.Operators.AddAsync("ana", OperatorRole.Editor, "hash-1", mustChangePassword: true, Now));
        Assert.False(await B.Operators.AddAsync("ana", OperatorRole.Admin, "hash-2", mustChangePassword: false, Now));

        var ana = await B.Operators.FindAsync("ana");
        Assert.Equal(new OperatorAccount("ana", OperatorRole.Editor, "hash-1", true, 0, null, Now), ana);
        Assert.Null(await B.Operators.FindAsync("nobody"));

        Assert.True(await B.Operators.SetPasswordAsync("ana", "hash-3", mustChangePassword: false));
        Assert.True(await A.Operators.SetRoleAsync("ana", OperatorRole.Viewer));
        Assert.Equal(("hash-3", false, OperatorRole.Viewer), await A.Operators.FindAsync("ana") is { } a ? (a.PasswordHash, a.MustChangePassword, a.Role) : default);
        Assert.False(await A.Operators.SetPasswordAsync("nobody", "h", false));
    }

    [Fact]
    public async Task TheLastAdminStaysAnAdminEvenWhenTwoAdminsDemoteEachOtherAtOnce()
    {
        await A.Operators.AddAsync("root", OperatorRole.Admin, "h", false, Now);
        Assert.False(await A.Operators.SetRoleAsync("root", OperatorRole.Editor));
        Assert.False(await A.Operators.RemoveAsync("root"));

        await A.Operators.AddAsync("second", OperatorRole.Admin, "h", false, Now);
        var changed = await Task.WhenAll(
            Task.Run(() => A.Operators.SetRoleAsync("root", OperatorRole.Viewer)),
            Task.Run(() => B.Operators.RemoveAsync("second")));
        Assert.Single(changed, c => c);
        Assert.Single(await A.Operators.ListAsync(), o => o.Role == OperatorRole.Admin);
    }

    [Fact]
    public async Task WrongPasswordsOnTwoNodesAtOnceLockTheAccountAtTheLimitAndNotBefore()
    {
        await A.Operators.AddAsync("ana", OperatorRole.Editor, "h", false, Now);
        var until = Now.AddMinutes(15);
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            Task.Run(() => (i % 2 == 0 ? A : B).Operators.FailSignInAsync("ana", 5, Now, until))));
        Assert.All(results, Assert.Null);
        Assert.Equal(4, (await A.Operators.FindAsync("ana"))!.FailedSignIns);

        // The fifth locks, on whichever node; then the right password is refused on every node.
        Assert.Equal(until, await B.Operators.FailSignInAsync("ana", 5, Now, until));
        Assert.False(await A.Operators.SucceedSignInAsync("ana", Now.AddMinutes(14)));
        Assert.False(await B.Operators.SucceedSignInAsync("ana", Now.AddMinutes(14)));
        // Failures while locked neither count nor push the lock further.
        Assert.Equal(until, await A.Operators.FailSignInAsync("ana", 5, Now.AddMinutes(1), Now.AddMinutes(16)));
        Assert.True(await B.Operators.SucceedSignInAsync("ana", until));
        Assert.Equal(0, (await A.Operators.FindAsync("ana"))!.FailedSignIns);
    }

    [Fact]
    public async Task ANewPasswordClearsTheFailuresAndTheLock()
    {
        await A.Operators.AddAsync("ana", OperatorRole.Admin, "h", false, Now);
        for (var i = 0; i < 5; i++) await A.Operators.FailSignInAsync("ana", 5, Now, Now.AddMinutes(15));
        Assert.False(await B.Operators.SucceedSignInAsync("ana", Now.AddMinutes(1)));

        Assert.True(await B.Operators.SetPasswordAsync("ana", "h2", mustChangePassword: true));
        var ana = (await A.Operators.FindAsync("ana"))!;
        Assert.Equal((null, 0, "h2", true), (ana.LockedUntil, ana.FailedSignIns, ana.PasswordHash, ana.MustChangePassword));
        Assert.True(await A.Operators.SucceedSignInAsync("ana", Now.AddMinutes(1)));
    }

    [Fact]
    public async Task ManyConcurrentWrongPasswordsLockExactlyOnce()
    {
        await A.Operators.AddAsync("ana", OperatorRole.Editor, "h", false, Now);
        var until = Now.AddMinutes(15);
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Task.Run(() => (i % 2 == 0 ? A : B).Operators.FailSignInAsync("ana", 5, Now, until))));
        Assert.Equal(8, results.Count(r => r == until)); // the 5th locked; the 7 after it found it locked
        Assert.Equal(4, results.Count(r => r is null));
        Assert.Equal(until, (await B.Operators.FindAsync("ana"))!.LockedUntil);
    }

    [Fact]
    public async Task TheAuditLogAndTheKeyRingAreSharedByTheNodes()
    {
        await A.Audit.RecordAsync(new AuditEntry(Now, "ana", "published", "version 2"));
        await B.Audit.RecordAsync(new AuditEntry(Now.AddMinutes(1), null, "sign-in failed", "no operator named 'x'"));
        var recent = await A.Audit.RecentAsync(10);
        Assert.Equal(["sign-in failed", "published"], recent.Select(e => e.Action));
        Assert.Equal(new AuditEntry(Now, "ana", "published", "version 2"), recent[1]);
        Assert.Single(await B.Audit.RecentAsync(1));

        A.KeyRing.Add("key-1", "<key id=\"1\" />");
        B.KeyRing.Add("key-2", "<key id=\"2\" />");
        Assert.Equal(["<key id=\"1\" />", "<key id=\"2\" />"], B.KeyRing.All());
    }
}
