<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/about_dialog.py" line="32"/>
        <source>About KeyAcct</source>
        <translation>关于 KeyAcct</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/about_dialog.py" line="34"/>
        <source>KeyAcct Desktop — Key Account Manager&apos;s Workbench</source>
        <translation>KeyAcct 大客户经理工作台</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/about_dialog.py" line="39"/>
        <source>Version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/about_dialog.py" line="40"/>
        <source>Qt %1, PySide6</source>
        <translation>Qt %1,PySide6</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/about_dialog.py" line="41"/>
        <source>Licence: Apache License 2.0</source>
        <translation>许可证:Apache License 2.0</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/about_dialog.py" line="43"/>
        <source>Bundled font: WenQuanYi Micro Hei, licensed under Apache License 2.0 or GPL-3+ with font exception (full text below).</source>
        <translation>内置字体:文泉驿微米黑,按 Apache License 2.0 或 GPL-3+(附字体例外条款)授权(全文见下)。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/about_dialog.py" line="55"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>DateListEditor</name>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="280"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="281"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>DesktopMenus</name>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="127"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="130"/>
        <source>&amp;New customer…</source>
        <translation>新建客户(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="133"/>
        <source>New &amp;visit log…</source>
        <translation>新建走访记录(&amp;V)…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="135"/>
        <source>S&amp;ync now</source>
        <translation>立即同步(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="140"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="143"/>
        <source>&amp;Print preview…</source>
        <translation>打印预览(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="145"/>
        <source>&amp;Reprint by number…</source>
        <translation>按编号补打(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="148"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="156"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="157"/>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="159"/>
        <source>&amp;Go</source>
        <translation>前往(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="162"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="164"/>
        <source>&amp;Keyboard shortcuts…</source>
        <translation>键盘快捷键(&amp;K)…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="166"/>
        <source>&amp;About KeyAcct…</source>
        <translation>关于 KeyAcct(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="197"/>
        <source>Find customer</source>
        <translation>查找客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="261"/>
        <source>The local data is still opening.</source>
        <translation>本机数据仍在打开中。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="266"/>
        <source>Not signed in: sign in to the server here to sync.</source>
        <translation>尚未登录:请在此登录服务器后再同步。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="270"/>
        <source>A sync is running already.</source>
        <translation>同步正在进行中。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="274"/>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
</context>
<context>
    <name>DrillDownDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/dashboard.py" line="212"/>
        <source>Double-click a row to open it.</source>
        <translation>双击一行即可打开。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/dashboard.py" line="215"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>FileEditor</name>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="94"/>
        <source>Browse…</source>
        <extracomment>(group key, tab title, option keys) in the order the dialog shows them: every declared option with a group (``keyacct_desktop.settings``), none listed here by hand.</extracomment>
        <translation>浏览…</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="87"/>
        <source>My customers</source>
        <extracomment>The day the figures are computed for (``None``: today); tests pin it.</extracomment>
        <translation>我的客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="88"/>
        <source>Class A</source>
        <translation>A 类客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="89"/>
        <source>Class B</source>
        <translation>B 类客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="90"/>
        <source>Class C</source>
        <translation>C 类客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="91"/>
        <source>Class D</source>
        <translation>D 类客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="92"/>
        <source>Risk customers</source>
        <translation>风险客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="93"/>
        <source>Visits overdue</source>
        <translation>走访已逾期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="94"/>
        <source>Visits due within 14 days</source>
        <translation>14 天内应走访</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="95"/>
        <source>Open referrals</source>
        <translation>未办结转办</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="96"/>
        <source>Overdue referrals</source>
        <translation>逾期转办</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="97"/>
        <source>Checklist time limits expiring</source>
        <translation>告知单时限将到期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="98"/>
        <source>Outage notices to deliver</source>
        <translation>待送达停电通知</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="106"/>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="118"/>
        <source>Annual consumption by class</source>
        <translation>各类客户年用电量</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="119"/>
        <source>Customer satisfaction by month</source>
        <translation>客户满意度月度趋势</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="159"/>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="165"/>
        <source>Loading figures…</source>
        <translation>正在加载数据…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="200"/>
        <source>The figures could not be computed.</source>
        <translation>数据计算失败。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="217"/>
        <source>Customers of %1</source>
        <translation>%1 的客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="218"/>
        <source>All customers in this store</source>
        <translation>本机全部客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="231"/>
        <source>The official holiday calendar for %1 is missing: deadlines that reach into %1 are counted on an estimate and marked so. Ask the administrator to enter the State Council&apos;s notice.</source>
        <translation>%1 年的正式节假日安排尚未录入:涉及 %1 年的时限按预估日历计算并已标注。请管理员录入国务院公布的节假日安排。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="256"/>
        <source>%1% of consumption</source>
        <translation>占用电量 %1%</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="269"/>
        <source>%1 overdue</source>
        <translation>已逾期 %1 项</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="276"/>
        <source>%1 per year</source>
        <translation>%1/年</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="278"/>
        <source>No customers with a consumption yet. Add or import customers on the Customers page, or sign in on the Sync page to receive yours from the server.</source>
        <translation>还没有客户,因此没有用电量。请在“客户”页新建或导入客户,或在“同步”页登录,从服务器接收您负责的客户。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="283"/>
        <source>No annual consumption is recorded for these customers yet: enter it in their profiles or import it, then the classes are computed.</source>
        <translation>这些客户还没有登记年用电量:请在客户档案中填写或导入,之后会计算分级。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="290"/>
        <source>Average score (1–5)</source>
        <translation>平均得分(1–5)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="292"/>
        <source>No rated visits yet. Log a visit (Ctrl+Shift+N) and rate the customer&apos;s satisfaction to see the trend here.</source>
        <translation>还没有带满意度评分的走访。新建走访记录(Ctrl+Shift+N)并为客户满意度评分后,这里会显示趋势。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="333"/>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="421"/>
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="334"/>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="357"/>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="381"/>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="403"/>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="421"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="335"/>
        <source>Class</source>
        <translation>分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="336"/>
        <source>Last visit</source>
        <translation>上次走访</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="337"/>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="361"/>
        <source>Due</source>
        <translation>应办日期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="344"/>
        <source>never</source>
        <translation>从未走访</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="358"/>
        <source>Team</source>
        <translation>后台团队</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="359"/>
        <source>Demand</source>
        <translation>需求</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="360"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="380"/>
        <source>Checklist</source>
        <translation>告知单</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="382"/>
        <source>Deadline</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="383"/>
        <source>Working days left</source>
        <translation>剩余工作日</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="384"/>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="403"/>
        <source>Notice</source>
        <translation>通知编号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="403"/>
        <source>Outage starts</source>
        <translation>停电开始</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="403"/>
        <source>Area</source>
        <translation>停电范围</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="421"/>
        <source>Why</source>
        <translation>风险原因</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="328"/>
        <source>Choose the letterhead logo</source>
        <translation>选择信头徽标</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="329"/>
        <source>Images (*.png *.jpg *.jpeg)</source>
        <translation>图片 (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="333"/>
        <source>Choose the CA certificate</source>
        <translation>选择 CA 证书</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="334"/>
        <source>Certificates (*.pem *.crt)</source>
        <translation>证书 (*.pem *.crt)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="373"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="391"/>
        <source>A new language applies when KeyAcct is started again.</source>
        <translation>新的界面语言在重新启动 KeyAcct 后生效。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="397"/>
        <source>The device token is kept in the system keyring; sign in on the Sync page to get one.</source>
        <translation>设备令牌保存在系统密钥环中;请在“同步”页登录以获取。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="414"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="415"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="417"/>
        <source>Defaults for this tab</source>
        <translation>恢复本页默认值</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="433"/>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="433"/>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="435"/>
        <source>%1 (default: %2)</source>
        <translation>%1(默认:%2)</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="57"/>
        <source>Open the selected row</source>
        <extracomment>How long a status-bar message from a shortcut stays, in milliseconds. Page methods that Ctrl+P calls, in order of preference.</extracomment>
        <translation>打开所选的行</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="60"/>
        <source>Close a dialog (asks first if something is not saved)</source>
        <translation>关闭对话框(有未保存的内容时先询问)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="72"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="75"/>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="75"/>
        <source>Action</source>
        <translation>功能</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="84"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
</TS>
