<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChangePassphraseDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/security/passphrase.py" line="28" />
        <source>Change passphrase</source>
        <translation>修改口令</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/passphrase.py" line="33" />
        <source>The data on this computer is re-encrypted with the new passphrase (at least %1 characters). Backups made with the old passphrase are deleted and a new one is taken.</source>
        <translation>本机数据将用新口令(至少 %1 个字符)重新加密。用旧口令加密的备份会被删除,并立即生成新的备份。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/passphrase.py" line="48" />
        <source>Current passphrase:</source>
        <translation>当前口令:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/passphrase.py" line="49" />
        <source>New passphrase:</source>
        <translation>新口令:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/passphrase.py" line="50" />
        <source>Repeat new passphrase:</source>
        <translation>再次输入新口令:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/passphrase.py" line="59" />
        <source>Change</source>
        <translation>修改</translation>
    </message>
</context>
<context>
    <name>ExportWarning</name>
    <message>
        <location filename="../../keyacct_desktop/gui/security/exports.py" line="23" />
        <source>Unencrypted export</source>
        <translation>导出文件未加密</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/security/restore.py" line="44" />
        <source>Restore from backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/restore.py" line="55" />
        <source>Choose the backup to restore. The current data file is kept in the backups folder, not deleted; changes made after the backup are not in it.</source>
        <translation>请选择要恢复的备份。当前数据文件会移入备份文件夹保存,不会删除;备份之后所做的修改不在备份中。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/restore.py" line="59" />
        <source>There are no backups on this computer yet.</source>
        <translation>本机还没有备份。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/restore.py" line="67" />
        <source>(newest)</source>
        <translation>(最新)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/restore.py" line="79" />
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/restore.py" line="82" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>SecurityController</name>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="103" />
        <source>&amp;Security</source>
        <extracomment>Argon2id cost for a new passphrase (``None``: the production default).</extracomment>
        <translation>安全(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="105" />
        <source>Lock now</source>
        <translation>立即锁定</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="109" />
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="111" />
        <source>Restore from backup…</source>
        <translation>从备份恢复…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="113" />
        <source>Change passphrase…</source>
        <translation>修改口令…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="117" />
        <source>Sign out and remove data from this computer…</source>
        <translation>退出登录并清除本机数据…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="189" />
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="215" />
        <source>Backed up: %1</source>
        <translation>已备份:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="231" />
        <source>Restore from backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="233" />
        <source>Replace the current data with the backup of %1? Changes made after it will no longer be in the data (the current file is kept in the backups folder).</source>
        <translation>用 %1 的备份替换当前数据?该备份之后所做的修改将不再保留(当前数据文件会移入备份文件夹保存)。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="284" />
        <source>Checking the backup…</source>
        <translation>正在检查备份…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="313" />
        <source>Restored the backup of %1</source>
        <translation>已恢复 %1 的备份</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="402" />
        <source>Re-encrypting the customer data with the new passphrase…</source>
        <translation>正在用新口令重新加密客户数据…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="429" />
        <source>The passphrase was changed.</source>
        <translation>口令已修改。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="439" />
        <source>Signing out removes all customer data, backups, attachments and the saved key from this computer.</source>
        <translation>退出登录将从本机清除全部客户数据、备份、附件和保存的密钥。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="444" />
        <source>These exist only on this computer and will be lost for good:</source>
        <translation>以下内容只存在于这台电脑上,清除后将永久丢失:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="449" />
        <source>All changes have been synced to the server.</source>
        <translation>所有修改均已同步到服务器。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="452" />
        <source>Sign out and remove data</source>
        <translation>退出登录并清除数据</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="453" />
        <source>Remove the data from this computer now?</source>
        <translation>现在清除本机数据吗?</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="480" />
        <source>Switch user</source>
        <translation>切换用户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/controller.py" line="483" />
        <source>%1's data was removed from this computer and %2 is signed in. KeyAcct closes now: start it again and choose a passphrase for %2; their customers then come from the server.</source>
        <translation>已从本机清除 %1 的数据,%2 已登录。KeyAcct 现在关闭:请重新启动,为 %2 设置口令,其客户数据随后从服务器同步下来。</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="88" />
        <source>Remember on this computer (OS keyring)</source>
        <translation>在本机记住(保存在系统钥匙串)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="98" />
        <source>Passphrase:</source>
        <translation>口令:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="100" />
        <source>Repeat passphrase:</source>
        <translation>再次输入口令:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="124" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="126" />
        <source>Protect your data</source>
        <translation>保护您的数据</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="127" />
        <source>Choose a passphrase</source>
        <translation>设置口令</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="132" />
        <source>The customer data already on this computer will now be encrypted. Nothing is lost.</source>
        <translation>本机已有的客户数据将立即加密,不会丢失任何内容。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="139" />
        <source>Customer data on this computer is encrypted with a key derived from your passphrase (at least %1 characters). Without it nobody, not even an administrator, can read the data on this computer.</source>
        <translation>本机的客户数据用由您的口令(至少 %1 个字符)派生的密钥加密。没有口令,任何人(包括管理员)都无法读取本机数据。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="142" />
        <source>Encrypt and start</source>
        <translation>加密并开始</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="144" />
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="147" />
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="145" />
        <source>Sign in to KeyAcct</source>
        <translation>登录 KeyAcct</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="146" />
        <source>Enter your passphrase to open your customer data.</source>
        <translation>请输入口令以打开您的客户数据。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="149" />
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="150" />
        <source>KeyAcct is locked</source>
        <translation>KeyAcct 已锁定</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="152" />
        <source>KeyAcct was locked after a period without use. Enter your passphrase.</source>
        <translation>由于一段时间未操作,KeyAcct 已自动锁定。请输入口令。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="154" />
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="180" />
        <source>Opening your data…</source>
        <translation>正在打开数据…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/sign_in.py" line="203" />
        <source>This computer has no usable keyring, so the key could not be remembered. You will be asked for the passphrase at every start.</source>
        <translation>本机没有可用的系统钥匙串,无法记住密钥。以后每次启动仍需输入口令。</translation>
    </message>
</context>
<context>
    <name>SwitchUserDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/security/switch_user.py" line="57" />
        <source>Switch user</source>
        <translation>切换用户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/switch_user.py" line="59" />
        <source>This computer holds %1's data</source>
        <translation>本机保存的是 %1 的数据</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/switch_user.py" line="68" />
        <source>A computer holds one user's data. To sign in as %2, %1's customers, backups, attachments and saved keys are first removed from this computer; then KeyAcct closes, and at the next start %2 chooses a passphrase and gets their customers from the server.</source>
        <translation>一台电脑只保存一位用户的数据。要以 %2 登录,须先从本机清除 %1 的客户数据、备份、附件和保存的密钥;随后 KeyAcct 关闭,下次启动时由 %2 设置口令,并从服务器同步其客户数据。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/switch_user.py" line="85" />
        <source>These exist only on this computer and would be lost for good:</source>
        <translation>以下内容只存在于这台电脑上,清除后将永久丢失:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/switch_user.py" line="92" />
        <source>All changes have been synced to the server.</source>
        <translation>所有修改都已同步到服务器。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/switch_user.py" line="94" />
        <source>Sync first, then switch</source>
        <translation>同步后切换</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/switch_user.py" line="101" />
        <source>Uploads %1's changes with their sign-in; switches only if nothing is left that exists only on this computer.</source>
        <translation>以 %1 的登录先上传其修改;只有本机不再有未同步的内容时才切换。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/switch_user.py" line="107" />
        <source>The server cannot be reached now, so syncing first is not possible.</source>
        <translation>目前连不上服务器,无法先同步。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/switch_user.py" line="111" />
        <source>wipe</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/switch_user.py" line="115" />
        <source>Wipe and switch</source>
        <translation>清除并切换</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/switch_user.py" line="122" />
        <source>To wipe without syncing, type “%1”:</source>
        <translation>不同步直接清除,请输入“%1”:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/security/switch_user.py" line="127" />
        <source>Cancel (stay with %1)</source>
        <translation>取消(保留 %1 的数据)</translation>
    </message>
</context>
</TS>