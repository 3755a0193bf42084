<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/about_dialog.py" line="32" />
        <source>About KeyAcct</source>
        <translation>关于 KeyAcct</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/about_dialog.py" line="34" />
        <source>KeyAcct Desktop — Key Account Manager's Workbench</source>
        <translation>KeyAcct 大客户经理工作台</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/about_dialog.py" line="39" />
        <source>Version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/about_dialog.py" line="40" />
        <source>Qt %1, PySide6</source>
        <translation>Qt %1,PySide6</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/about_dialog.py" line="41" />
        <source>Licence: Apache License 2.0</source>
        <translation>许可证:Apache License 2.0</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/about_dialog.py" line="43" />
        <source>Bundled font: WenQuanYi Micro Hei, licensed under Apache License 2.0 or GPL-3+ with font exception (full text below).</source>
        <translation>内置字体:文泉驿微米黑,按 Apache License 2.0 或 GPL-3+(附字体例外条款)授权(全文见下)。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/about_dialog.py" line="55" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>DateListEditor</name>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="321" />
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="322" />
        <source>Remove</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>DesktopMenus</name>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="127" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="130" />
        <source>&amp;New customer…</source>
        <translation>新建客户(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="133" />
        <source>New &amp;visit log…</source>
        <translation>新建走访记录(&amp;V)…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="135" />
        <source>S&amp;ync now</source>
        <translation>立即同步(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="140" />
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="143" />
        <source>&amp;Print preview…</source>
        <translation>打印预览(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="144" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="151" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="152" />
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="154" />
        <source>&amp;Go</source>
        <translation>前往(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="157" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="159" />
        <source>&amp;Keyboard shortcuts…</source>
        <translation>键盘快捷键(&amp;K)…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="161" />
        <source>&amp;About KeyAcct…</source>
        <translation>关于 KeyAcct(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="192" />
        <source>Find customer</source>
        <translation>查找客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="254" />
        <source>The local data is still opening.</source>
        <translation>本机数据仍在打开中。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="259" />
        <source>Not signed in: sign in to the server here to sync.</source>
        <translation>尚未登录:请在此登录服务器后再同步。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="263" />
        <source>A sync is running already.</source>
        <translation>同步正在进行中。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="267" />
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
</context>
<context>
    <name>DrillDownDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/dashboard.py" line="298" />
        <source>Double-click a row to open it.</source>
        <translation>双击一行即可打开。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/dashboard.py" line="301" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>FileEditor</name>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="224" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="231" />
        <source>Choose the letterhead logo</source>
        <translation>选择信头徽标</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="233" />
        <source>Images (*.png *.jpg *.jpeg)</source>
        <translation>图片 (*.png *.jpg *.jpeg)</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="84" />
        <source>My customers</source>
        <extracomment>The day the figures are computed for (``None``: today); tests pin it.</extracomment>
        <translation>我的客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="85" />
        <source>Class A</source>
        <translation>A 类客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="86" />
        <source>Class B</source>
        <translation>B 类客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="87" />
        <source>Class C</source>
        <translation>C 类客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="88" />
        <source>Class D</source>
        <translation>D 类客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="89" />
        <source>Risk customers</source>
        <translation>风险客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="90" />
        <source>Visits overdue</source>
        <translation>走访已逾期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="91" />
        <source>Visits due within 14 days</source>
        <translation>14 天内应走访</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="92" />
        <source>Open referrals</source>
        <translation>未办结转办</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="93" />
        <source>Overdue referrals</source>
        <translation>逾期转办</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="94" />
        <source>Checklist time limits expiring</source>
        <translation>告知单时限将到期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="95" />
        <source>Outage notices to deliver</source>
        <translation>待送达停电通知</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="103" />
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="115" />
        <source>Annual consumption by class</source>
        <translation>各类客户年用电量</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="116" />
        <source>Customer satisfaction by month</source>
        <translation>客户满意度月度趋势</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="156" />
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="162" />
        <source>Loading figures…</source>
        <translation>正在加载数据…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="197" />
        <source>The figures could not be computed.</source>
        <translation>数据计算失败。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="214" />
        <source>Customers of %1</source>
        <translation>%1 的客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="215" />
        <source>All customers in this store</source>
        <translation>本机全部客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="228" />
        <source>The official holiday calendar for %1 is missing: deadlines that reach into %1 are counted on an estimate and marked so. Ask the administrator to enter the State Council's notice.</source>
        <translation>%1 年的正式节假日安排尚未录入:涉及 %1 年的时限按预估日历计算并已标注。请管理员录入国务院公布的节假日安排。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="253" />
        <source>%1% of consumption</source>
        <translation>占用电量 %1%</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="266" />
        <source>%1 overdue</source>
        <translation>已逾期 %1 项</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="273" />
        <source>%1 per year</source>
        <translation>%1/年</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="275" />
        <source>No customers with a consumption yet. Add or import customers on the Customers page, or sign in on the Sync page to receive yours from the server.</source>
        <translation>还没有客户,因此没有用电量。请在“客户”页新建或导入客户,或在“同步”页登录,从服务器接收您负责的客户。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="280" />
        <source>No annual consumption is recorded for these customers yet: enter it in their profiles or import it, then the classes are computed.</source>
        <translation>这些客户还没有登记年用电量:请在客户档案中填写或导入,之后会计算分级。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="287" />
        <source>Average score (1–5)</source>
        <translation>平均得分(1–5)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="289" />
        <source>No rated visits yet. Log a visit (Ctrl+Shift+N) and rate the customer's satisfaction to see the trend here.</source>
        <translation>还没有带满意度评分的走访。新建走访记录(Ctrl+Shift+N)并为客户满意度评分后,这里会显示趋势。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="330" />
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="418" />
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="331" />
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="354" />
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="378" />
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="400" />
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="418" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="332" />
        <source>Class</source>
        <translation>分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="333" />
        <source>Last visit</source>
        <translation>上次走访</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="334" />
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="358" />
        <source>Due</source>
        <translation>应办日期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="341" />
        <source>never</source>
        <translation>从未走访</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="355" />
        <source>Team</source>
        <translation>后台团队</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="356" />
        <source>Demand</source>
        <translation>需求</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="357" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="377" />
        <source>Checklist</source>
        <translation>告知单</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="379" />
        <source>Deadline</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="380" />
        <source>Working days left</source>
        <translation>剩余工作日</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="381" />
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="400" />
        <source>Notice</source>
        <translation>通知编号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="400" />
        <source>Outage starts</source>
        <translation>停电开始</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="400" />
        <source>Area</source>
        <translation>停电范围</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="418" />
        <source>Why</source>
        <translation>风险原因</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="47" />
        <source>Server</source>
        <extracomment>(group key, tab title, option keys) in the order the dialog shows them.</extracomment>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="52" />
        <source>Letterhead</source>
        <translation>信头</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="63" />
        <source>Visit frequencies</source>
        <translation>走访周期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="68" />
        <source>Time limits</source>
        <translation>办理时限</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="73" />
        <source>Holiday calendar</source>
        <translation>节假日日历</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="78" />
        <source>Language and units</source>
        <translation>语言和单位</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="83" />
        <source>Idle lock</source>
        <translation>空闲锁定</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="90" />
        <source>Server address</source>
        <extracomment>Short labels of the options shown (the declared description becomes the tooltip).</extracomment>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="91" />
        <source>Account name</source>
        <translation>账号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="92" />
        <source>Sync every (seconds)</source>
        <translation>同步间隔(秒)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="93" />
        <source>Company</source>
        <translation>单位名称</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="94" />
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="95" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="96" />
        <source>Service hotline</source>
        <translation>服务热线</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="97" />
        <source>Logo (PNG or JPEG)</source>
        <translation>徽标(PNG 或 JPEG)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="98" />
        <source>Visit every N days, by class</source>
        <translation>按客户分级的走访周期(天)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="101" />
        <source>Visit every N days, by important-user grade</source>
        <translation>按重要用户等级的走访周期(天)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="104" />
        <source>Warn when working days left</source>
        <translation>剩余工作日数时预警</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="107" />
        <source>Time limits (working days)</source>
        <translation>办理时限(工作日)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="108" />
        <source>Terms told to the customer (not counted down)</source>
        <translation>客户须知期限(告知客户,不倒计时)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="111" />
        <source>Public holidays</source>
        <translation>法定节假日</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="112" />
        <source>Weekend working days (调休)</source>
        <translation>调休上班的周末</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="113" />
        <source>User interface language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="114" />
        <source>Consumption shown in</source>
        <translation>用电量显示单位</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="115" />
        <source>Lock after idle minutes (0 = never)</source>
        <translation>空闲多少分钟后锁定(0 = 从不)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="122" />
        <source>Plan reply, HV single source</source>
        <extracomment>Labels of the keys inside ``limits.working_days``.</extracomment>
        <translation>供电方案答复(高压单电源)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="123" />
        <source>Plan reply, HV dual source</source>
        <translation>供电方案答复(高压双电源)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="124" />
        <source>Plan reply, LV</source>
        <translation>供电方案答复(低压)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="125" />
        <source>Plan reply, residential</source>
        <translation>供电方案答复(居民)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="126" />
        <source>Design review</source>
        <translation>设计审核</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="127" />
        <source>Mid-construction check</source>
        <translation>中间检查</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="128" />
        <source>Completion check</source>
        <translation>竣工检验</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="129" />
        <source>Metering and energising</source>
        <translation>装表接电</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="130" />
        <source>Metering and energising, residential</source>
        <translation>装表接电(居民)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="133" />
        <source>Total utility time, HV single source</source>
        <translation>供电企业总时长(高压单电源)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="136" />
        <source>Total utility time, HV dual source</source>
        <translation>供电企业总时长(高压双电源)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="139" />
        <source>Total utility time, LV</source>
        <translation>供电企业总时长(低压)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="144" />
        <source>Ask for the mid-construction check ahead (days)</source>
        <extracomment>Labels of the keys inside ``limits.customer_terms`` (the unit is part of the label).</extracomment>
        <translation>提前预约中间检查(天)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="147" />
        <source>Apply for a capacity reduction ahead (days)</source>
        <translation>减容提前申请(天)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="150" />
        <source>Capacity reduction, shortest (months)</source>
        <translation>减容最短期限(月)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="153" />
        <source>Capacity reduction, longest (years)</source>
        <translation>减容最长期限(年)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="156" />
        <source>Apply for a suspension ahead (days)</source>
        <translation>暂停提前申请(天)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="159" />
        <source>Suspensions per calendar year, at most</source>
        <translation>每一日历年暂停次数上限</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="162" />
        <source>Each suspension, shortest (days)</source>
        <translation>每次暂停最短(天)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="163" />
        <source>Suspension per year in total, longest (months)</source>
        <translation>每年累计暂停最长(月)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="166" />
        <source>Temporary transformer swap up to 10 kV (months)</source>
        <translation>暂换期限 10 千伏及以下(月)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="169" />
        <source>Temporary transformer swap from 35 kV (months)</source>
        <translation>暂换期限 35 千伏及以上(月)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="172" />
        <source>Temporary removal, longest (months)</source>
        <translation>暂拆最长期限(月)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="175" />
        <source>Temporary supply, longest (months)</source>
        <translation>临时用电最长期限(月)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="372" />
        <source>Class %1</source>
        <translation>%1 类</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="410" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="428" />
        <source>A new language applies when KeyAcct is started again.</source>
        <translation>新的界面语言在重新启动 KeyAcct 后生效。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="434" />
        <source>The device token is kept in the system keyring; sign in on the Sync page to get one.</source>
        <translation>设备令牌保存在系统密钥环中;请在“同步”页登录以获取。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="451" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="452" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="454" />
        <source>Defaults for this tab</source>
        <translation>恢复本页默认值</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="473" />
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="473" />
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/settings_dialog.py" line="475" />
        <source>%1 (default: %2)</source>
        <translation>%1(默认:%2)</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="57" />
        <source>Open the selected row</source>
        <extracomment>How long a status-bar message from a shortcut stays, in milliseconds. Page methods that Ctrl+P calls, in order of preference.</extracomment>
        <translation>打开所选的行</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="60" />
        <source>Close a dialog (asks first if something is not saved)</source>
        <translation>关闭对话框(有未保存的内容时先询问)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="72" />
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="75" />
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="75" />
        <source>Action</source>
        <translation>功能</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/desktop/menus.py" line="84" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
</TS>